import type { InvoicePosted, InvoiceReceived, LegalEntityRef } from '@finmesh/contracts';
import { resultRows, type SqlExecutor } from '@finmesh/persistence';
import type { InvoiceSettlement } from '../payments/settlement';

/** A posted invoice as payment resolution and settlement read it. */
export interface PayableInvoiceRow {
  readonly invoice_id: string;
  readonly supplier_id: string | null;
  readonly supplier_invoice_number: string | null;
  readonly erp_document_id: string;
  readonly gross_amount: string;
  readonly amount_paid: string;
  readonly currency: string;
  readonly legal_entity: LegalEntityRef;
  readonly correlation_id: string;
}

const PAYABLE_COLUMNS = `invoice_id, supplier_id, supplier_invoice_number, erp_document_id, gross_amount::text AS gross_amount,
  amount_paid::text AS amount_paid, currency, legal_entity, correlation_id`;

/** An invoice's payment status as the read API shows it. */
export interface InvoicePaymentStatusRow
  extends Pick<PayableInvoiceRow, 'invoice_id' | 'supplier_id' | 'supplier_invoice_number' | 'erp_document_id' | 'gross_amount' | 'amount_paid' | 'currency' | 'legal_entity'> {
  readonly payment_status: string;
}

/**
 * SQL for the invoices payment-sync can pay: received_invoices (supplier facts from InvoiceReceived)
 * and invoices (posted, payable). Every method runs on the executor it is given (the handler's
 * transaction, or the DataSource's manager for reads).
 */
export class PayableInvoiceStore {
  /** Keeps the supplier facts of a received invoice (InvoicePosted has none). */
  async recordReceived(db: SqlExecutor, e: InvoiceReceived): Promise<void> {
    await db.query(
      `INSERT INTO received_invoices (invoice_id, supplier_id, supplier_invoice_number, document_type, gross_amount, currency)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (invoice_id) DO UPDATE SET supplier_id = EXCLUDED.supplier_id, supplier_invoice_number = EXCLUDED.supplier_invoice_number,
         document_type = EXCLUDED.document_type, gross_amount = EXCLUDED.gross_amount, currency = EXCLUDED.currency`,
      [e.invoiceId, e.supplierId, e.supplierInvoiceNumber, e.documentType, e.totals.gross.amount, e.totals.gross.currency],
    );
    // Posted before we saw it received (e.g. replayed history): fill in the supplier facts.
    await db.query(
      `UPDATE invoices SET supplier_id = $2, supplier_invoice_number = $3, updated_at = now()
        WHERE invoice_id = $1 AND (supplier_id IS NULL OR supplier_invoice_number IS NULL)`,
      [e.invoiceId, e.supplierId, e.supplierInvoiceNumber],
    );
  }

  /** Makes a posted invoice payable (with the supplier facts received before it, if any); returns its supplier invoice number. */
  async recordPosted(db: SqlExecutor, e: InvoicePosted): Promise<string | null> {
    const rows = resultRows<{ supplier_invoice_number: string | null }>(
      await db.query(
        `INSERT INTO invoices (invoice_id, supplier_id, supplier_invoice_number, erp_document_id, erp_document_number, gross_amount, currency,
                               legal_entity, correlation_id)
         SELECT $1, r.supplier_id, r.supplier_invoice_number, $2, $3, $4, $5, $6::jsonb, $7
           FROM (SELECT 1) AS one LEFT JOIN received_invoices r ON r.invoice_id = $1
         ON CONFLICT (invoice_id) DO UPDATE SET erp_document_id = EXCLUDED.erp_document_id, erp_document_number = EXCLUDED.erp_document_number,
           gross_amount = EXCLUDED.gross_amount, currency = EXCLUDED.currency, legal_entity = EXCLUDED.legal_entity, updated_at = now()
         RETURNING supplier_invoice_number`,
        [e.invoiceId, e.erpDocumentId, e.erpDocumentNumber, e.postedAmount.amount, e.postedAmount.currency, JSON.stringify(e.envelope.legalEntity), e.envelope.correlationId],
      ),
    );
    return rows[0]?.supplier_invoice_number ?? null;
  }

  /** Posted invoices with that ERP document id (more than one: ambiguous). */
  async withErpDocumentId(db: SqlExecutor, erpDocumentId: string): Promise<PayableInvoiceRow[]> {
    return resultRows<PayableInvoiceRow>(await db.query(`SELECT ${PAYABLE_COLUMNS} FROM invoices WHERE erp_document_id = $1`, [erpDocumentId]));
  }

  /** Posted invoices with that supplier invoice number of that supplier (more than one: ambiguous). */
  async withSupplierInvoiceNumber(db: SqlExecutor, supplierInvoiceNumber: string, supplierId: string): Promise<PayableInvoiceRow[]> {
    return resultRows<PayableInvoiceRow>(
      await db.query(`SELECT ${PAYABLE_COLUMNS} FROM invoices WHERE supplier_invoice_number = $1 AND supplier_id = $2`, [supplierInvoiceNumber, supplierId]),
    );
  }

  /** Whether finmesh received (not necessarily posted) an invoice with that supplier invoice number of that supplier. */
  async isReceived(db: SqlExecutor, supplierInvoiceNumber: string, supplierId: string): Promise<boolean> {
    const rows = resultRows<{ invoice_id: string }>(
      await db.query('SELECT invoice_id FROM received_invoices WHERE supplier_invoice_number = $1 AND supplier_id = $2', [supplierInvoiceNumber, supplierId]),
    );
    return rows.length > 0;
  }

  /**
   * Row-locks the invoices until the transaction ends and reads them again. Locked in invoice id
   * order, so concurrent payments of the same invoices serialise instead of deadlocking.
   */
  async lockForPayment(db: SqlExecutor, invoiceIds: readonly string[]): Promise<PayableInvoiceRow[]> {
    return resultRows<PayableInvoiceRow>(
      await db.query(`SELECT ${PAYABLE_COLUMNS} FROM invoices WHERE invoice_id = ANY($1) ORDER BY invoice_id FOR UPDATE`, [invoiceIds]),
    );
  }

  /** Applies a payment's settlement of one invoice: its new paid amount and payment status (lock it first, see lockForPayment). */
  async applySettlement(db: SqlExecutor, s: InvoiceSettlement): Promise<void> {
    await db.query('UPDATE invoices SET amount_paid = $2, payment_status = $3, updated_at = now() WHERE invoice_id = $1', [s.invoiceId, s.amountPaid, s.status]);
  }

  async paymentStatus(db: SqlExecutor, invoiceId: string): Promise<InvoicePaymentStatusRow | undefined> {
    return resultRows<InvoicePaymentStatusRow>(
      await db.query(
        `SELECT invoice_id, supplier_id, supplier_invoice_number, erp_document_id, gross_amount::text AS gross_amount, amount_paid::text AS amount_paid,
                currency, payment_status, legal_entity FROM invoices WHERE invoice_id = $1`,
        [invoiceId],
      ),
    )[0];
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const payableInvoices = new PayableInvoiceStore();
