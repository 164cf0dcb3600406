import { Module } from '@nestjs/common';
import { LiveProjection } from './projection/live-projection';
import { RebuildJobs } from './projection/rebuild-jobs';
import { RebuildsController } from './projection/rebuilds.controller';
import { ReportsController } from './reports/reports.controller';

@Module({
  controllers: [ReportsController, RebuildsController],
  providers: [LiveProjection, RebuildJobs],
})
export class ReportingProjectorModule {}
