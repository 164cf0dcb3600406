/**
 * Lifecycle of an invoice in invoice-sync:
 *
 *   RECEIVED ──validation──▶ APPROVED (matched: InvoiceMatched + InvoiceApproved AUTO)
 *            ├────────────▶ EXCEPTION ──override-approve──▶ APPROVED (InvoiceApproved OVERRIDE)
 *            │                        └─reject───────────▶ REJECTED
 *            ├────────────▶ ON_HOLD (supplier unknown/blocked) ──supplier upserted/unblocked──▶ re-validated
 *            └────────────▶ WAITING_FOR_RECEIPT ──goods receipt for its PO──▶ re-validated
 *   APPROVED ──ERP post──▶ POSTED ──payments──▶ PARTIALLY_PAID ──▶ PAID
 *            └─rejected by the ERP─▶ POSTING_FAILED (InvoicePostingFailed; override-approve re-posts)
 *   POSTED ──ERP validation places a hold (read back)──▶ ERP_HOLD ──holds released──▶ POSTED
 *   any status but PARTIALLY_PAID/PAID ──voided in AP / cancelled in the ERP──▶ CANCELLED
 *            (InvoiceCancelled; one voided in AP after posting is then cancelled in the ERP by
 *            its consumer, once: posting/erp-cancellation.service.ts)
 *   RECEIVED, EXCEPTION, ON_HOLD, WAITING_FOR_RECEIPT ──newer capture (correction in AP)──▶ RECEIVED
 *   POSTED, ERP_HOLD ──newer capture (correction after posting)──▶ CANCELLED (origin FINMESH)
 *            + a NEW invoice (the replacement) in WAITING_FOR_ERP_CANCEL
 *   WAITING_FOR_ERP_CANCEL ──the ERP cancelled the superseded document──▶ RECEIVED (validated, matched,
 *            approved and posted as any invoice) ; the ERP refused: stays WAITING_FOR_ERP_CANCEL
 *   PARTIALLY_PAID, PAID ──newer capture──▶ refused (409: needs a credit memo, not handled)
 *
 * ON_HOLD, WAITING_FOR_RECEIPT and POSTING_FAILED may also be decided by a finance approver
 * (override-approve or reject). MATCHED is a decision, not a resting state: a matched invoice is
 * approved in the same transaction.
 */
export const INVOICE_STATUSES = [
  'RECEIVED',
  'EXCEPTION',
  'ON_HOLD',
  'WAITING_FOR_RECEIPT',
  'APPROVED',
  'REJECTED',
  'POSTED',
  'POSTING_FAILED',
  'PARTIALLY_PAID',
  'PAID',
  'ERP_HOLD',
  'CANCELLED',
  /** A replacement of a posted invoice (correction after posting), waiting until the ERP has cancelled the one it supersedes. */
  'WAITING_FOR_ERP_CANCEL',
] as const;
export type InvoiceLifecycleStatus = (typeof INVOICE_STATUSES)[number];

/** States a finance approver may resolve (override-approve or reject). */
export const RESOLVABLE_STATUSES: readonly InvoiceLifecycleStatus[] = ['EXCEPTION', 'ON_HOLD', 'WAITING_FOR_RECEIPT', 'POSTING_FAILED'];

/** States automatic re-validation may move an invoice out of. */
export const REVALIDATABLE_STATUSES: readonly InvoiceLifecycleStatus[] = ['RECEIVED', 'ON_HOLD', 'WAITING_FOR_RECEIPT'];

/**
 * Invoices whose quantities count as invoiced against their PO lines (for cumulative quantity
 * matching): accepted for payment, whatever happened after.
 */
export const QUANTITY_CONSUMING_STATUSES: readonly InvoiceLifecycleStatus[] = ['APPROVED', 'POSTED', 'POSTING_FAILED', 'PARTIALLY_PAID', 'PAID'];
