import { resultRows, type SqlExecutor } from '@finmesh/persistence';

/** A report's query as its definition builds it (see report-definitions.ts, SQL by design). */
export interface ReportQuery {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * SQL that pages and counts a report. The report definitions own the SQL of each report; this
 * store wraps it (search_path = the projector's schema). It never opens a transaction: the report
 * runner runs both statements on one REPEATABLE READ transaction so page and count agree.
 */
export class ReportStore {
  /** One page of the report's rows in the report's order. */
  async page(db: SqlExecutor, query: ReportQuery, orderBy: string, limit: number, offset: number): Promise<Record<string, unknown>[]> {
    const n = query.params.length;
    return resultRows<Record<string, unknown>>(
      await db.query(`SELECT r.* FROM (${query.sql}) r ORDER BY ${orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`, [...query.params, limit, offset]),
    );
  }

  /** How many rows the report has over all pages. */
  async count(db: SqlExecutor, query: ReportQuery): Promise<number> {
    const [count] = resultRows<{ total: number }>(await db.query(`SELECT count(*)::int AS total FROM (${query.sql}) r`, query.params));
    return count?.total ?? 0;
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const reportStore = new ReportStore();
