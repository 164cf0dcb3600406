import type { DataSource } from 'typeorm';
import type { ReportDefinition } from './report-definitions';
import type { ReportFilters } from './report-filters';

export interface ReportPage {
  readonly report: string;
  readonly description: string;
  readonly filters: Omit<ReportFilters, 'page' | 'pageSize'>;
  readonly page: number;
  readonly pageSize: number;
  readonly totalRows: number;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
  readonly generatedAt: string;
}

/** Runs a report with its filters and one page of its rows (stable order, total row count). */
export async function runReport(db: DataSource, report: ReportDefinition, filters: ReportFilters): Promise<ReportPage> {
  const { sql, params } = report.query(filters);
  const n = params.length;
  // One snapshot for the page and the count: the live projection commits between two statements.
  const { rows, totalRows } = await db.transaction('REPEATABLE READ', async (tx) => {
    const page = (await tx.query(`SELECT r.* FROM (${sql}) r ORDER BY ${report.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`, [
      ...params,
      filters.pageSize,
      (filters.page - 1) * filters.pageSize,
    ])) as Record<string, unknown>[];
    const [count] = (await tx.query(`SELECT count(*)::int AS total FROM (${sql}) r`, params)) as { total: number }[];
    return { rows: page, totalRows: count?.total ?? 0 };
  });
  const { page, pageSize, ...rest } = filters;
  return {
    report: report.name,
    description: report.description,
    filters: rest,
    page,
    pageSize,
    totalRows,
    columns: report.columns,
    rows: rows.map((r) => Object.fromEntries(report.columns.map((c) => [c, r[c] ?? null]))),
    generatedAt: new Date().toISOString(),
  };
}
