import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard/dashboard.controller';
import { ReadModelsChangedListener } from './dashboard/read-models-changed-listener';
import { ReportStreamController } from './dashboard/report-stream.controller';
import { ReportingMetrics } from './metrics/reporting-metrics';
import { LiveProjection } from './projection/live-projection';
import { RebuildJobs } from './projection/rebuild-jobs';
import { RebuildsController } from './projection/rebuilds.controller';
import { ReportsController } from './reports/reports.controller';

@Module({
  // ReportStreamController before ReportsController: `/v1/reports/stream` must not be taken for a report name.
  controllers: [ReportStreamController, DashboardController, ReportsController, RebuildsController],
  providers: [LiveProjection, RebuildJobs, ReadModelsChangedListener, ReportingMetrics],
})
export class ReportingProjectorModule {}
