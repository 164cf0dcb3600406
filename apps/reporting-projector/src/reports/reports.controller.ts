import { Controller, Get, Headers, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Admin } from 'kafkajs';
import { fetchConsumerLag, type PartitionLag } from '@finmesh/ops';
import { CurrentCaller, DatabaseConnection, KafkaConnection, Roles, type Caller } from '@finmesh/service-kit';
import { LiveProjection } from '../projection/live-projection';
import { toCsv } from './csv-format';
import { REPORTS } from './report-definitions';
import { parseReportFilters, ReportQueryError } from './report-filters';
import { runReport } from './report-runner';
import { lineageOf, LINEAGE_TABLES } from './lineage-lookup';

const READERS = ['reporting-reader', 'ops', 'finance-approver'] as const;

/**
 * The reporting (experience) API: one endpoint per read model, JSON by default and CSV with
 * `Accept: text/csv`, so Power BI and spreadsheets read the same figures the dashboard shows.
 */
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly db: DatabaseConnection,
    private readonly kafka: KafkaConnection,
    private readonly live: LiveProjection,
  ) {}

  @Get()
  @Roles(...READERS)
  catalog(): { reports: { name: string; description: string; columns: readonly string[]; href: string }[] } {
    return { reports: REPORTS.map((r) => ({ name: r.name, description: r.description, columns: r.columns, href: `/v1/reports/${r.name}` })) };
  }

  @Get('lineage/:table/:id')
  @Roles(...READERS)
  async lineage(@Param('table') table: string, @Param('id') id: string, @CurrentCaller() caller: Caller): Promise<{ table: string; id: string; rows: Record<string, unknown>[] }> {
    if (!LINEAGE_TABLES.has(table)) {
      throw new ReportQueryError([{ path: 'table', reason: `unknown read model; one of ${[...LINEAGE_TABLES.keys()].join(', ')}` }]);
    }
    const rows = await lineageOf(this.db.dataSource, table, id, caller.legalEntities);
    if (rows.length === 0) throw new NotFoundException(`no ${table} row for '${id}'`);
    return { table, id, rows };
  }

  @Get(':report')
  @Roles(...READERS)
  async report(
    @Param('report') name: string,
    @Query() query: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
    @CurrentCaller() caller: Caller,
  ): Promise<Record<string, unknown> | string> {
    const report = REPORTS.find((r) => r.name === name);
    if (!report) throw new NotFoundException(`no report '${name}'; reports: ${REPORTS.map((r) => r.name).join(', ')}`);
    const page = await runReport(this.db.dataSource, report, parseReportFilters(query, caller.legalEntities));
    if (accept?.includes('text/csv')) {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${report.name}.csv"`);
      res.setHeader('X-Total-Rows', String(page.totalRows));
      return toCsv(page.columns, page.rows);
    }
    if (report.name !== 'freshness') return { ...page };
    return { ...page, consumerLag: await this.consumerLag() };
  }

  /** The projector group's lag per partition (the live freshness of the read models themselves). */
  private async consumerLag(): Promise<{ groupId: string; totalLag: string; partitions: readonly PartitionLag[] } | null> {
    const admin: Admin = this.kafka.kafka.admin();
    await admin.connect();
    try {
      const topics = new Set(this.live.topics);
      const [group] = await fetchConsumerLag({ admin, groupIds: [this.live.groupId], topics: [...topics] });
      return group ? { groupId: group.groupId, totalLag: group.totalLag, partitions: group.partitions } : null;
    } finally {
      await admin.disconnect();
    }
  }
}
