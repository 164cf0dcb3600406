import type { EntityManager } from 'typeorm';

export type PostingAttemptOutcome = 'IN_FLIGHT' | 'POSTED' | 'FOUND_EXISTING' | 'BUSINESS_REJECTED' | 'TRANSIENT_FAILED' | 'NOT_SENT';

export interface PostingAttempt {
  readonly attempt: number;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly outcome: PostingAttemptOutcome;
  readonly httpStatus: number | null;
  readonly erpCode: string | null;
  readonly erpMessage: string | null;
  readonly erpDocumentId: string | null;
}

export interface AttemptResult {
  readonly outcome: PostingAttemptOutcome;
  readonly httpStatus?: number | null;
  readonly erpCode?: string | null;
  readonly erpMessage?: string | null;
  readonly erpDocumentId?: string | null;
}

/**
 * The journal of ERP posting attempts (table erp_posting_attempts). `start` must run in a
 * transaction of its own that commits BEFORE the HTTP call (see ErpPostingService): the row must
 * outlive a rollback of the handler, because it is what tells the next attempt that the ERP may
 * already hold the invoice.
 */
export class PostingAttemptStore {
  async list(db: EntityManager, invoiceId: string): Promise<PostingAttempt[]> {
    const rows = (await db.query(
      `SELECT attempt, started_at, finished_at, outcome, http_status, erp_code, erp_message, erp_document_id
       FROM erp_posting_attempts WHERE invoice_id = $1 ORDER BY attempt`,
      [invoiceId],
    )) as {
      attempt: number;
      started_at: Date;
      finished_at: Date | null;
      outcome: PostingAttemptOutcome;
      http_status: number | null;
      erp_code: string | null;
      erp_message: string | null;
      erp_document_id: string | null;
    }[];
    return rows.map((r) => ({
      attempt: r.attempt,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      outcome: r.outcome,
      httpStatus: r.http_status,
      erpCode: r.erp_code,
      erpMessage: r.erp_message,
      erpDocumentId: r.erp_document_id,
    }));
  }

  /** Opens the next attempt (IN_FLIGHT, or NOT_SENT for a decision taken without calling POST). */
  async start(db: EntityManager, invoiceId: string, outcome: 'IN_FLIGHT' | 'NOT_SENT' = 'IN_FLIGHT'): Promise<number> {
    const rows = (await db.query(
      `INSERT INTO erp_posting_attempts (invoice_id, attempt, outcome)
       SELECT $1, coalesce(max(attempt), 0) + 1, $2 FROM erp_posting_attempts WHERE invoice_id = $1
       RETURNING attempt`,
      [invoiceId, outcome],
    )) as { attempt: number }[];
    return rows[0]!.attempt;
  }

  async finish(db: EntityManager, invoiceId: string, attempt: number, result: AttemptResult): Promise<void> {
    await db.query(
      `UPDATE erp_posting_attempts SET finished_at = now(), outcome = $3, http_status = $4, erp_code = $5, erp_message = $6, erp_document_id = $7
       WHERE invoice_id = $1 AND attempt = $2`,
      [invoiceId, attempt, result.outcome, result.httpStatus ?? null, result.erpCode ?? null, result.erpMessage ?? null, result.erpDocumentId ?? null],
    );
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const postingAttempts = new PostingAttemptStore();
