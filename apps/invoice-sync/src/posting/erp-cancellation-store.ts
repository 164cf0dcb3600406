import type { EntityManager } from 'typeorm';

export type ErpCancellationOutcome = 'CANCELLED' | 'REFUSED';

export interface ErpCancellation {
  readonly invoiceId: string;
  readonly erpDocumentId: string;
  readonly outcome: ErpCancellationOutcome;
  readonly httpStatus: number | null;
  readonly erpCode: string | null;
  readonly erpMessage: string | null;
  readonly requestedAt: Date;
  readonly causedBy: string;
}

/**
 * The ERP cancellations finmesh asked for (table erp_cancellations, migration 007): one row per
 * invoice, the last outcome. A CANCELLED row means the ERP cancelled the document: a replayed
 * InvoiceCancelled finds it and does not call the ERP again. A REFUSED row is tried again by a
 * replay (after the cause, e.g. a payment, was dealt with in the ERP).
 */
export class ErpCancellationStore {
  async find(db: EntityManager, invoiceId: string): Promise<ErpCancellation | undefined> {
    const rows = (await db.query(
      'SELECT invoice_id, erp_document_id, outcome, http_status, erp_code, erp_message, requested_at, caused_by FROM erp_cancellations WHERE invoice_id = $1',
      [invoiceId],
    )) as {
      invoice_id: string;
      erp_document_id: string;
      outcome: ErpCancellationOutcome;
      http_status: number | null;
      erp_code: string | null;
      erp_message: string | null;
      requested_at: Date;
      caused_by: string;
    }[];
    const r = rows[0];
    return (
      r && {
        invoiceId: r.invoice_id,
        erpDocumentId: r.erp_document_id,
        outcome: r.outcome,
        httpStatus: r.http_status,
        erpCode: r.erp_code,
        erpMessage: r.erp_message,
        requestedAt: r.requested_at,
        causedBy: r.caused_by,
      }
    );
  }

  async record(db: EntityManager, c: Omit<ErpCancellation, 'requestedAt'>): Promise<void> {
    await db.query(
      `INSERT INTO erp_cancellations (invoice_id, erp_document_id, outcome, http_status, erp_code, erp_message, caused_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (invoice_id) DO UPDATE SET erp_document_id = EXCLUDED.erp_document_id, outcome = EXCLUDED.outcome, http_status = EXCLUDED.http_status,
         erp_code = EXCLUDED.erp_code, erp_message = EXCLUDED.erp_message, requested_at = now(), caused_by = EXCLUDED.caused_by`,
      [c.invoiceId, c.erpDocumentId, c.outcome, c.httpStatus, c.erpCode, c.erpMessage, c.causedBy],
    );
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const erpCancellations = new ErpCancellationStore();
