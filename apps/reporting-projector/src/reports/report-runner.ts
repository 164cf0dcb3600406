import type { DataSource } from 'typeorm';
import type { ReportDefinition } from './report-definitions';
import type { ReportFilters } from './report-filters';
import { reportStore } from './report-store';

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
  const query = report.query(filters);
  // One snapshot for the page and the count: the live projection commits between two statements.
  // The runner owns that transaction; the store only runs its statements on it.
  const { rows, totalRows } = await db.transaction('REPEATABLE READ', async (tx) => {
    const page = await reportStore.page(tx, query, report.orderBy, filters.pageSize, (filters.page - 1) * filters.pageSize);
    return { rows: page, totalRows: await reportStore.count(tx, query) };
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
