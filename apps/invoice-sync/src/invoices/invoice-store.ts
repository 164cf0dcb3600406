import type { EntityManager } from 'typeorm';
import type { InvoiceReceived, LegalEntityRef, MatchExceptionDetail } from '@finmesh/contracts';
import { supplierDecisionLockKey } from '../database/advisory-locks';
import type { SeenInvoice } from '../validation/duplicate-invoice-detection';
import { QUANTITY_CONSUMING_STATUSES, type InvoiceLifecycleStatus } from './invoice-status';

export interface StoredInvoice {
  readonly invoiceId: string;
  readonly seq: string;
  readonly status: InvoiceLifecycleStatus;
  readonly invoice: InvoiceReceived;
  readonly legalEntity: LegalEntityRef;
  readonly correlationId: string;
  readonly grossAmount: string;
  readonly settledAmount: string;
  readonly erpDocumentId: string | null;
  /** Version of the AP capture stored (Coupa `updated-at`, `lock-version-key`); null when not known. */
  readonly captureVersion: CaptureVersion | null;
  /** The invoice number sent to the ERP: the supplier's, or for a replacement the suffixed one (invoice-correction.ts). */
  readonly erpInvoiceNumber: string;
  /** The posted invoice this one replaces (a correction after posting); null for an original. */
  readonly supersedesInvoiceId: string | null;
  /** The AP platform's id of the invoice (Coupa's `id`) when it was captured from AP; else null. */
  readonly apInvoiceId: string | null;
}

/** An AP capture: which AP invoice (Coupa's `id`) and which version of it. */
export interface ApCapture {
  readonly apInvoiceId: string;
  readonly version: CaptureVersion;
}

/** Which version of an AP capture an invoice is: Coupa's `updated-at` and `lock-version-key`. */
export interface CaptureVersion {
  readonly updatedAt: Date;
  readonly lockVersion: number | null;
}

export interface StoredException {
  readonly exceptionId: string;
  readonly status: 'OPEN' | 'RESOLVED';
  readonly kind: string;
  readonly reasonCodes: readonly string[];
  readonly reasons: readonly MatchExceptionDetail[];
  readonly raisedAt: Date;
  readonly resolvedAt: Date | null;
  readonly resolution: string | null;
  readonly resolvedBy: string | null;
  readonly resolutionReason: string | null;
}

interface InvoiceRow {
  invoice_id: string;
  seq: string;
  status: InvoiceLifecycleStatus;
  invoice: InvoiceReceived & { envelope: { occurredAt: Date | string } };
  legal_entity: LegalEntityRef;
  correlation_id: string;
  gross_amount: string;
  settled_amount: string;
  erp_document_id: string | null;
  capture_updated_at: Date | null;
  capture_lock_version: string | null;
  erp_invoice_number: string;
  supersedes_invoice_id: string | null;
  ap_invoice_id: string | null;
}

const INVOICE_COLUMNS = `invoice_id, seq::text AS seq, status, invoice, legal_entity, correlation_id, gross_amount::text AS gross_amount,
  settled_amount::text AS settled_amount, erp_document_id, capture_updated_at, capture_lock_version::text AS capture_lock_version,
  coalesce(erp_invoice_number, supplier_invoice_number) AS erp_invoice_number, supersedes_invoice_id, ap_invoice_id`;

function toStored(r: InvoiceRow): StoredInvoice {
  // JSON has no Date: the envelope's occurredAt comes back as an ISO string.
  const invoice = { ...r.invoice, envelope: { ...r.invoice.envelope, occurredAt: new Date(r.invoice.envelope.occurredAt) } };
  return {
    invoiceId: r.invoice_id,
    seq: r.seq,
    status: r.status,
    invoice,
    legalEntity: r.legal_entity,
    correlationId: r.correlation_id,
    grossAmount: r.gross_amount,
    settledAmount: r.settled_amount,
    erpDocumentId: r.erp_document_id,
    captureVersion: r.capture_updated_at === null ? null : { updatedAt: r.capture_updated_at, lockVersion: r.capture_lock_version === null ? null : Number(r.capture_lock_version) },
    erpInvoiceNumber: r.erp_invoice_number,
    supersedesInvoiceId: r.supersedes_invoice_id,
    apInvoiceId: r.ap_invoice_id,
  };
}

/** SQL for invoices and their exceptions, always through the caller's transaction. */
export class InvoiceStore {
  /**
   * Stores a received invoice once; returns false when it was stored already (the other path).
   * `capture` is the AP invoice and version when known (HTTP ingress); otherwise the envelope's
   * occurredAt stands for the version and there is no AP invoice to write back to.
   */
  async insertReceived(
    db: EntityManager,
    invoice: InvoiceReceived,
    capture?: ApCapture,
    replacement?: { readonly supersedesInvoiceId: string; readonly erpInvoiceNumber: string },
  ): Promise<boolean> {
    const rows = (await db.query(
      `INSERT INTO invoices (invoice_id, supplier_id, supplier_invoice_number, document_type, invoice_date, purchase_order_id, currency,
         gross_amount, legal_entity, correlation_id, source_platform, status, invoice, capture_updated_at, capture_lock_version,
         supersedes_invoice_id, erp_invoice_number, ap_invoice_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $15, $12, $13, $14, $16, $17, $18)
       ON CONFLICT (invoice_id) DO NOTHING RETURNING invoice_id`,
      [
        invoice.invoiceId,
        invoice.supplierId,
        invoice.supplierInvoiceNumber,
        invoice.documentType,
        invoice.invoiceDate,
        invoice.purchaseOrderId,
        invoice.currency,
        invoice.totals.gross.amount,
        JSON.stringify(invoice.envelope.legalEntity),
        invoice.envelope.correlationId,
        invoice.envelope.sourcePlatform,
        JSON.stringify(invoice),
        capture?.version.updatedAt ?? invoice.envelope.occurredAt,
        capture?.version.lockVersion ?? null,
        // A replacement waits until the ERP has cancelled the invoice it supersedes.
        replacement ? 'WAITING_FOR_ERP_CANCEL' : 'RECEIVED',
        replacement?.supersedesInvoiceId ?? null,
        replacement?.erpInvoiceNumber ?? null,
        capture?.apInvoiceId ?? null,
      ],
    )) as unknown[];
    return rows.length > 0;
  }

  /** The replacement of an invoice superseded by a correction after posting, if any. */
  async replacementOf(db: EntityManager, invoiceId: string, lock = false): Promise<StoredInvoice | null> {
    const rows = (await db.query(`SELECT ${INVOICE_COLUMNS} FROM invoices WHERE supersedes_invoice_id = $1${lock ? ' FOR UPDATE' : ''}`, [invoiceId])) as InvoiceRow[];
    return rows[0] ? toStored(rows[0]) : null;
  }

  /**
   * Replaces the stored capture with a newer version of it (a correction in AP before approval):
   * the canonical invoice and its columns, the capture version, status RECEIVED, match result and
   * approval cleared. Arrival order (seq) and correlation stay: it is the same invoice.
   */
  async replaceCaptured(
    db: EntityManager,
    invoice: InvoiceReceived,
    version: CaptureVersion,
    replacement?: { readonly status: 'WAITING_FOR_ERP_CANCEL'; readonly erpInvoiceNumber: string },
  ): Promise<void> {
    await db.query(
      `UPDATE invoices SET supplier_id = $2, supplier_invoice_number = $3, document_type = $4, invoice_date = $5, purchase_order_id = $6, currency = $7,
         gross_amount = $8, legal_entity = $9, invoice = $10, capture_updated_at = $11, capture_lock_version = $12,
         status = $13, erp_invoice_number = $14, match_result = NULL, approval = NULL, updated_at = now()
       WHERE invoice_id = $1`,
      [
        invoice.invoiceId,
        invoice.supplierId,
        invoice.supplierInvoiceNumber,
        invoice.documentType,
        invoice.invoiceDate,
        invoice.purchaseOrderId,
        invoice.currency,
        invoice.totals.gross.amount,
        JSON.stringify(invoice.envelope.legalEntity),
        JSON.stringify(invoice),
        version.updatedAt,
        version.lockVersion,
        replacement?.status ?? 'RECEIVED',
        replacement?.erpInvoiceNumber ?? null,
      ],
    );
  }

  /** CANCELLED, with when and where it was cancelled (InvoiceCancelled origin). */
  async markCancelled(db: EntityManager, invoiceId: string, origin: string, at: Date, reason: string | null = null): Promise<void> {
    await db.query(`UPDATE invoices SET status = 'CANCELLED', cancelled_at = $2, cancellation_origin = $3, cancellation_reason = $4, updated_at = now() WHERE invoice_id = $1`, [
      invoiceId,
      at,
      origin,
      reason,
    ]);
  }

  /**
   * Loads an invoice, locking its row for the rest of the transaction when `lock` is set.
   * `'nowait'` fails at once (SQLSTATE 55P03, retriable) instead of waiting for a holder: for a
   * transaction that may already hold the audit-chain lock (a poll page applying several rows),
   * waiting for an invoice whose posting then wants that lock would be a deadlock.
   */
  async find(db: EntityManager, invoiceId: string, lock: boolean | 'nowait' = false): Promise<StoredInvoice | null> {
    const locking = lock === 'nowait' ? ' FOR UPDATE NOWAIT' : lock ? ' FOR UPDATE' : '';
    const rows = (await db.query(`SELECT ${INVOICE_COLUMNS} FROM invoices WHERE invoice_id = $1${locking}`, [invoiceId])) as InvoiceRow[];
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** The match result, approval and ERP document details that the invoice view shows besides the stored invoice. */
  async decisionDetails(
    db: EntityManager,
    invoiceId: string,
  ): Promise<{ matchResult: unknown; approval: unknown; erpDocumentNumber: string | null; accountingDate: string | null } | undefined> {
    const row = (
      (await db.query(
        `SELECT match_result, approval, erp_document_number, to_char(accounting_date, 'YYYY-MM-DD') AS accounting_date FROM invoices WHERE invoice_id = $1`,
        [invoiceId],
      )) as { match_result: unknown; approval: unknown; erp_document_number: string | null; accounting_date: string | null }[]
    )[0];
    return row && { matchResult: row.match_result, approval: row.approval, erpDocumentNumber: row.erp_document_number, accountingDate: row.accounting_date };
  }

  /**
   * The legal entity last seen with this company code on a purchase order or an invoice
   * (invoice-sync has no legal-entity master event yet).
   */
  async knownLegalEntity(db: EntityManager, code: string): Promise<LegalEntityRef | undefined> {
    const rows = (await db.query(
      `SELECT legal_entity FROM (
         SELECT legal_entity, updated_at FROM purchase_orders WHERE legal_entity ->> 'code' = $1
         UNION ALL SELECT legal_entity, updated_at FROM invoices WHERE legal_entity ->> 'code' = $1
       ) known ORDER BY updated_at DESC LIMIT 1`,
      [code],
    )) as { legal_entity: LegalEntityRef }[];
    return rows[0]?.legal_entity;
  }

  async supplierIdOf(db: EntityManager, invoiceId: string): Promise<string | undefined> {
    return ((await db.query('SELECT supplier_id FROM invoices WHERE invoice_id = $1', [invoiceId])) as { supplier_id: string }[])[0]?.supplier_id;
  }

  /** Serialises decisions on one supplier's invoices until the transaction ends (see InvoiceValidationRunner). */
  async lockSupplierDecisions(db: EntityManager, supplierId: string): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [supplierDecisionLockKey(supplierId)]);
  }

  async idsByPurchaseOrderAndStatus(db: EntityManager, purchaseOrderId: string, statuses: readonly InvoiceLifecycleStatus[]): Promise<string[]> {
    const rows = (await db.query('SELECT invoice_id FROM invoices WHERE purchase_order_id = $1 AND status = ANY($2) ORDER BY seq', [
      purchaseOrderId,
      statuses,
    ])) as { invoice_id: string }[];
    return rows.map((r) => r.invoice_id);
  }

  async idsBySupplierAndStatus(db: EntityManager, supplierId: string, statuses: readonly InvoiceLifecycleStatus[]): Promise<string[]> {
    const rows = (await db.query('SELECT invoice_id FROM invoices WHERE supplier_id = $1 AND status = ANY($2) ORDER BY seq', [supplierId, statuses])) as {
      invoice_id: string;
    }[];
    return rows.map((r) => r.invoice_id);
  }

  /**
   * Invoices of the supplier that arrived before `seq`, for duplicate detection. Rejected and
   * cancelled invoices are left out: a supplier may re-send a rejected invoice corrected under the
   * same number, and a posted invoice is corrected by a cancellation plus a new invoice.
   */
  async earlierOfSupplier(db: EntityManager, supplierId: string, seq: string): Promise<SeenInvoice[]> {
    const rows = (await db.query(
      `SELECT invoice_id, supplier_invoice_number, document_type, gross_amount::text AS gross_amount, currency, to_char(invoice_date, 'YYYY-MM-DD') AS invoice_date
       FROM invoices WHERE supplier_id = $1 AND seq < $2 AND status NOT IN ('REJECTED', 'CANCELLED') ORDER BY seq`,
      [supplierId, seq],
    )) as { invoice_id: string; supplier_invoice_number: string; document_type: SeenInvoice['documentType']; gross_amount: string; currency: string; invoice_date: string }[];
    return rows.map((r) => ({
      invoiceId: r.invoice_id,
      supplierInvoiceNumber: r.supplier_invoice_number,
      documentType: r.document_type,
      grossAmount: r.gross_amount,
      currency: r.currency,
      invoiceDate: r.invoice_date,
    }));
  }

  /** Quantity invoiced per PO line by the OTHER accepted invoices of the order (credit notes negative). */
  async invoicedQuantities(db: EntityManager, purchaseOrderId: string, exceptInvoiceId: string): Promise<Map<number, string>> {
    const rows = (await db.query(
      `SELECT (l ->> 'poLineNumber')::int AS po_line, sum((l ->> 'quantity')::numeric)::numeric(19,4)::text AS quantity
       FROM invoices i, jsonb_array_elements(i.invoice -> 'lines') AS l
       WHERE i.purchase_order_id = $1 AND i.invoice_id <> $2 AND i.status = ANY($3) AND l ->> 'poLineNumber' IS NOT NULL
       GROUP BY 1`,
      [purchaseOrderId, exceptInvoiceId, QUANTITY_CONSUMING_STATUSES],
    )) as { po_line: number; quantity: string }[];
    return new Map(rows.map((r) => [r.po_line, r.quantity]));
  }

  async setStatus(db: EntityManager, invoiceId: string, status: InvoiceLifecycleStatus, extra: { matchResult?: unknown; approval?: unknown } = {}): Promise<void> {
    await db.query(
      `UPDATE invoices SET status = $2, updated_at = now(),
         match_result = CASE WHEN $3::boolean THEN $4::jsonb ELSE match_result END,
         approval = CASE WHEN $5::boolean THEN $6::jsonb ELSE approval END
       WHERE invoice_id = $1`,
      [
        invoiceId,
        status,
        extra.matchResult !== undefined,
        extra.matchResult === undefined ? null : JSON.stringify(extra.matchResult),
        extra.approval !== undefined,
        extra.approval === undefined ? null : JSON.stringify(extra.approval),
      ],
    );
  }

  async markPosted(db: EntityManager, invoiceId: string, erp: { documentId: string; documentNumber: string | null; accountingDate: string }): Promise<void> {
    await db.query(
      `UPDATE invoices SET status = 'POSTED', erp_document_id = $2, erp_document_number = $3, accounting_date = $4, posted_at = now(), updated_at = now()
       WHERE invoice_id = $1`,
      [invoiceId, erp.documentId, erp.documentNumber, erp.accountingDate],
    );
  }

  /** Whether another invoice already holds this ERP document (so a lookup hit is not ours). */
  async erpDocumentHeldByOther(db: EntityManager, invoiceId: string, erpDocumentId: string): Promise<boolean> {
    const rows = (await db.query('SELECT 1 FROM invoices WHERE erp_document_id = $1 AND invoice_id <> $2', [erpDocumentId, invoiceId])) as unknown[];
    return rows.length > 0;
  }

  async setSettledAmount(db: EntityManager, invoiceId: string, settled: string, status: InvoiceLifecycleStatus): Promise<void> {
    await db.query('UPDATE invoices SET settled_amount = $2, status = $3, updated_at = now() WHERE invoice_id = $1', [invoiceId, settled, status]);
  }

  // ---- exceptions ----

  async openExceptions(db: EntityManager, invoiceId: string): Promise<StoredException[]> {
    return (await this.exceptions(db, invoiceId)).filter((e) => e.status === 'OPEN');
  }

  async exceptions(db: EntityManager, invoiceId: string): Promise<StoredException[]> {
    const rows = (await db.query(
      `SELECT exception_id, status, kind, reason_codes, reasons, raised_at, resolved_at, resolution, resolved_by, resolution_reason
       FROM invoice_exceptions WHERE invoice_id = $1 ORDER BY raised_at, exception_id`,
      [invoiceId],
    )) as {
      exception_id: string;
      status: 'OPEN' | 'RESOLVED';
      kind: string;
      reason_codes: string[];
      reasons: MatchExceptionDetail[];
      raised_at: Date;
      resolved_at: Date | null;
      resolution: string | null;
      resolved_by: string | null;
      resolution_reason: string | null;
    }[];
    return rows.map((r) => ({
      exceptionId: r.exception_id,
      status: r.status,
      kind: r.kind,
      reasonCodes: r.reason_codes,
      reasons: r.reasons,
      raisedAt: r.raised_at,
      resolvedAt: r.resolved_at,
      resolution: r.resolution,
      resolvedBy: r.resolved_by,
      resolutionReason: r.resolution_reason,
    }));
  }

  /** Open exceptions per reason code, with the age in seconds of the oldest (metrics at scrape time). */
  async openExceptionsByReason(db: EntityManager): Promise<{ reason: string; open: number; oldest: number }[]> {
    return (await db.query(
      `SELECT reason, count(*)::int AS open, extract(epoch FROM now() - min(raised_at))::float8 AS oldest
         FROM invoice_exceptions, unnest(reason_codes) AS reason
        WHERE status = 'OPEN' GROUP BY reason`,
    )) as { reason: string; open: number; oldest: number }[];
  }

  async raiseException(db: EntityManager, e: { exceptionId: string; invoiceId: string; kind: string; reasons: readonly MatchExceptionDetail[] }): Promise<void> {
    await db.query(
      `INSERT INTO invoice_exceptions (exception_id, invoice_id, status, kind, reason_codes, reasons) VALUES ($1, $2, 'OPEN', $3, $4, $5)`,
      [e.exceptionId, e.invoiceId, e.kind, [...new Set(e.reasons.map((r) => r.code))], JSON.stringify(e.reasons)],
    );
  }

  /** Resolves every open exception of the invoice; returns their ids. */
  async resolveOpenExceptions(
    db: EntityManager,
    invoiceId: string,
    resolution: { kind: string; by: string; reason: string | null },
  ): Promise<string[]> {
    const rows = (await db.query(
      // In a CTE so the driver returns the rows (a bare UPDATE … RETURNING comes back as [rows, count]).
      `WITH resolved AS (
         UPDATE invoice_exceptions SET status = 'RESOLVED', resolved_at = now(), resolution = $2, resolved_by = $3, resolution_reason = $4
         WHERE invoice_id = $1 AND status = 'OPEN' RETURNING exception_id, raised_at)
       SELECT exception_id FROM resolved ORDER BY raised_at, exception_id`,
      [invoiceId, resolution.kind, resolution.by, resolution.reason],
    )) as { exception_id: string }[];
    return rows.map((r) => r.exception_id);
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const invoiceStore = new InvoiceStore();
