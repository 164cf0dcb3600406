import type { EntityManager } from 'typeorm';
import type { FusionInvoiceHold } from '@finmesh/adapters';

export interface ErpInvoiceRef {
  readonly invoiceId: string;
}

/** SQL for what the ERP says about posted invoices (migration 005), in the caller's transaction. */
export class ErpReadbackStore {
  /** The finmesh invoice posted as this ERP document, if finmesh posted it. */
  async invoiceOfDocument(db: EntityManager, erpDocumentId: string): Promise<ErpInvoiceRef | undefined> {
    const rows = (await db.query('SELECT invoice_id FROM invoices WHERE erp_document_id = $1', [erpDocumentId])) as { invoice_id: string }[];
    return rows[0] ? { invoiceId: rows[0].invoice_id } : undefined;
  }

  /**
   * Whether a posting of an invoice with this number may still record its ERP document: the
   * invoice is APPROVED with no document yet. The posting locks the invoice before its ERP call
   * and records the document when it commits, so in between the ERP already shows the row while
   * finmesh cannot attribute it. Skipping the row then would record it as applied and lose its
   * validation for good.
   *
   * - While the posting holds the lock this fails at once (SQLSTATE 55P03, retriable: the poll
   *   backs off and re-reads the page); it never waits (see ErpReadback on deadlocks).
   * - Unlocked, the posting is between attempts (a lost answer, a retry to come): true, and the
   *   caller defers the row, which the poll offers again while it is inside the overlap window.
   *
   * Call it before looking the document up: once the lock is free the posting has committed or
   * rolled back, and the lookup's fresh snapshot (READ COMMITTED) sees its outcome.
   */
  async postingPending(db: EntityManager, invoiceNumber: string): Promise<boolean> {
    const rows = (await db.query(
      `SELECT 1 FROM invoices WHERE coalesce(erp_invoice_number, supplier_invoice_number) = $1 AND status = 'APPROVED' AND erp_document_id IS NULL FOR UPDATE NOWAIT`,
      [invoiceNumber],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * The posted invoice a hold row names by invoice number (Oracle's hold example identifies the
   * invoice by number, business unit and supplier name, not InvoiceId). More than one posted
   * invoice with that number is ambiguous and answers undefined; the caller rejects the hold.
   */
  async postedInvoicesNumbered(db: EntityManager, invoiceNumber: string): Promise<string[]> {
    const rows = (await db.query('SELECT invoice_id FROM invoices WHERE coalesce(erp_invoice_number, supplier_invoice_number) = $1 AND erp_document_id IS NOT NULL', [invoiceNumber])) as { invoice_id: string }[];
    return rows.map((r) => r.invoice_id);
  }

  /** Records the validation status read at `readAt`; false when a later read is already recorded. */
  async recordValidation(db: EntityManager, invoiceId: string, status: string, readAt: Date): Promise<boolean> {
    const rows = (await db.query(
      `UPDATE invoices SET erp_validation_status = $2, erp_validation_read_at = $3, updated_at = now()
        WHERE invoice_id = $1 AND (erp_validation_read_at IS NULL OR erp_validation_read_at <= $3) RETURNING 1`,
      [invoiceId, status, readAt],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Stores a hold as last read (a later read of the same hold replaces an earlier one only). */
  async recordHold(db: EntityManager, invoiceId: string, hold: FusionInvoiceHold): Promise<void> {
    await db.query(
      `INSERT INTO erp_invoice_holds (hold_id, invoice_id, hold_name, hold_reason, released, erp_updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (hold_id) DO UPDATE SET hold_name = EXCLUDED.hold_name, hold_reason = EXCLUDED.hold_reason,
         released = EXCLUDED.released, erp_updated_at = EXCLUDED.erp_updated_at
       WHERE erp_invoice_holds.erp_updated_at <= EXCLUDED.erp_updated_at`,
      [hold.holdId, invoiceId, hold.holdName, hold.holdReason, hold.released, hold.lastUpdateDate],
    );
  }

  async openHolds(db: EntityManager, invoiceId: string): Promise<{ holdName: string; holdReason: string | null }[]> {
    const rows = (await db.query('SELECT hold_name, hold_reason FROM erp_invoice_holds WHERE invoice_id = $1 AND NOT released ORDER BY hold_id', [invoiceId])) as {
      hold_name: string;
      hold_reason: string | null;
    }[];
    return rows.map((r) => ({ holdName: r.hold_name, holdReason: r.hold_reason }));
  }

  async validationOf(db: EntityManager, invoiceId: string): Promise<string | null> {
    const rows = (await db.query('SELECT erp_validation_status FROM invoices WHERE invoice_id = $1', [invoiceId])) as { erp_validation_status: string | null }[];
    return rows[0]?.erp_validation_status ?? null;
  }

  async markCancelled(db: EntityManager, invoiceId: string, origin: string, at: Date): Promise<void> {
    await db.query(`UPDATE invoices SET status = 'CANCELLED', cancelled_at = $2, cancellation_origin = $3, updated_at = now() WHERE invoice_id = $1`, [invoiceId, at, origin]);
  }
}

export const erpReadbackStore = new ErpReadbackStore();
