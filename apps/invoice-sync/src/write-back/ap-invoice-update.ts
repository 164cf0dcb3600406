/**
 * What each canonical invoice or payment event means for the AP platform: one update of the AP
 * invoice finmesh captured it from. Pure; the delivery (ap-invoice-delivery.ts) makes the calls.
 *
 * finmesh's status of the invoice, its reason and the ERP document number go to the invoice's
 * header custom fields (Coupa documents the ERP document number as a header custom field, example
 * `cf_erp_invoice_number`, in "Invoices Integration into your ERP"); reasons also go as a comment
 * (Coupa "Comments API": comments on an invoice, visible to AP users). Custom fields are created
 * by the tenant's admin: the names below are the ones finmesh's installation guide asks for.
 */
import {
  sumDecimals,
  type InvoiceApproved,
  type InvoiceCancelled,
  type InvoiceErpValidationReported,
  type InvoiceMatched,
  type InvoicePosted,
  type InvoicePostingFailed,
  type MatchExceptionRaised,
  type PaymentAllocation,
  type PaymentConfirmed,
  type PaymentReleased,
  type PaymentVoided,
} from '@finmesh/contracts';

/** The AP invoice header custom fields finmesh writes. */
export const AP_INVOICE_FIELDS = {
  /** finmesh's status of the invoice (ApFinmeshStatus). */
  status: 'cf_finmesh_status',
  /** Why (exception reasons, posting failure, ERP holds), at most REASON_FIELD_LENGTH characters. */
  reason: 'cf_finmesh_status_reason',
  /** When the status was reached (the event's occurredAt, ISO-8601): a late event never overwrites a newer status. */
  at: 'cf_finmesh_status_at',
  /** The ERP's invoice document number once posted. */
  erpInvoiceNumber: 'cf_erp_invoice_number',
  /** How much of it is paid (ApPaymentStatus), besides Coupa's own `paid` flag and `payments`. */
  paymentStatus: 'cf_finmesh_payment_status',
} as const;

/** A Coupa string custom field holds 255 characters; the full reason goes in the comment. */
export const REASON_FIELD_LENGTH = 255;

/**
 * Where the invoice document stands. Payment is a separate dimension (ApPaymentStatus): a payment
 * event carries the ERP's value date, not a lifecycle time, and an ERP validation read after the
 * payment must not make a paid invoice look unpaid.
 */
export type ApFinmeshStatus = 'matched' | 'exception' | 'approved' | 'posted' | 'posting-failed' | 'erp-hold' | 'cancelled';

export type ApPaymentStatus = 'unpaid' | 'partially-paid' | 'paid';

/**
 * A payment's effect on the AP invoice: a Coupa `payments` entry (the ERP released it, or the bank
 * confirmed it: whichever comes first records it), or, voided, the entry's settlement withdrawn.
 */
export interface ApPaymentRecord {
  /** What identifies it on the invoice (Coupa payment `notes`), the same from release and confirmation. */
  readonly notes: string;
  readonly amountPaid: string;
  /** The payment's value date (YYYY-MM-DD). */
  readonly paymentDate: string;
  /** This allocation's amount plus discount taken: what it settles of the invoice. */
  readonly settles: string;
  readonly paymentId: string;
  /** The ERP voided the payment: it settles nothing any more. */
  readonly voided: boolean;
  /** Why it was voided, for the comment. */
  readonly voidReason?: string;
}

export interface ApInvoiceUpdate {
  readonly invoiceId: string;
  /** The status set, unless a newer one is already there; undefined = status untouched. */
  readonly status?: ApFinmeshStatus;
  readonly reason?: string;
  /** Also posted as a comment on the invoice (once: marked with the delivery key). */
  readonly comment?: string;
  readonly erpInvoiceNumber?: string;
  /** Approve in AP (bypass_approvals) when AP still waits for approval. */
  readonly approve?: boolean;
  /** Void in AP (the invoice was cancelled elsewhere) when AP allows it. */
  readonly void?: boolean;
  readonly payment?: ApPaymentRecord;
  /** The event's occurredAt: orders status writes. */
  readonly occurredAt: Date;
}

const at = (envelope: { readonly occurredAt: Date | number | string }): Date => new Date(envelope.occurredAt);

export function matchedUpdate(e: InvoiceMatched): ApInvoiceUpdate {
  return { invoiceId: e.invoiceId, status: 'matched', reason: `${e.matchType} match`, occurredAt: at(e.envelope) };
}

/** Reasons with their figures: "PRICE_VARIANCE line 2: expected 10.0000, actual 12.0000, variance 2.0000, tolerance 0.5000 (message)". */
export function exceptionUpdate(e: MatchExceptionRaised): ApInvoiceUpdate {
  const reasons = e.reasons.map((r) => {
    const figures = (['expected', 'actual', 'variance', 'tolerance'] as const).filter((f) => r[f] !== null).map((f) => `${f} ${String(r[f])}`);
    return `${r.code}${r.lineNumber === null ? '' : ` line ${r.lineNumber}`}${figures.length ? `: ${figures.join(', ')}` : ''} (${r.message})`;
  });
  const text = `Match exception ${e.exceptionId}: ${reasons.join('; ')}`;
  return { invoiceId: e.invoiceId, status: 'exception', reason: text, comment: text, occurredAt: at(e.envelope) };
}

export function approvedUpdate(e: InvoiceApproved): ApInvoiceUpdate {
  const how = `approved (${e.mode.toLowerCase()}) by ${e.approvedBy}${e.reason ? `: ${e.reason}` : ''}`;
  return { invoiceId: e.invoiceId, status: 'approved', reason: how, approve: true, occurredAt: at(e.envelope) };
}

export function postedUpdate(e: InvoicePosted): ApInvoiceUpdate {
  // Fusion may answer without a voucher number; then its invoice id is what AP users can look up.
  const erpNumber = e.erpDocumentNumber ?? e.erpDocumentId;
  return { invoiceId: e.invoiceId, status: 'posted', reason: `posted to the ERP as ${erpNumber}, period ${e.fiscalPeriod}`, erpInvoiceNumber: erpNumber, occurredAt: at(e.envelope) };
}

export function postingFailedUpdate(e: InvoicePostingFailed): ApInvoiceUpdate {
  const text = `Posting to the ERP failed (${e.failureClass}${e.erpCode ? `, ${e.erpCode}` : ''}) after ${e.attempts} attempt(s): ${e.erpMessage}`;
  return { invoiceId: e.invoiceId, status: 'posting-failed', reason: text, comment: text, occurredAt: at(e.envelope) };
}

/** ERP validation with holds puts the invoice on ERP hold; a clean validation takes it back to posted. */
export function erpValidationUpdate(e: InvoiceErpValidationReported): ApInvoiceUpdate | undefined {
  if (e.holds.length === 0) return e.validationStatus === 'VALIDATED' ? { invoiceId: e.invoiceId, status: 'posted', reason: 'validated in the ERP', occurredAt: at(e.envelope) } : undefined;
  const holds = e.holds.map((h) => `${h.holdName}${h.holdReason ? ` (${h.holdReason})` : ''}`).join('; ');
  const text = `Held by ERP validation (${e.validationStatus}): ${holds}`;
  return { invoiceId: e.invoiceId, status: 'erp-hold', reason: text, comment: text, occurredAt: at(e.envelope) };
}

/** Cancelled in the ERP or by finmesh: voided in AP too. A void that came from AP itself only sets the status. */
export function cancelledUpdate(e: InvoiceCancelled): ApInvoiceUpdate {
  const fromAp = e.origin === 'AP_PLATFORM';
  const text = `Cancelled (origin ${e.origin})${e.reason ? `: ${e.reason}` : ''}`;
  return { invoiceId: e.invoiceId, status: 'cancelled', reason: text, ...(fromAp ? {} : { void: true, comment: text }), occurredAt: at(e.envelope) };
}

/** One update per invoice the payment settles (each its own delivery); the payment status follows from the settlement. */
export function paymentUpdates(e: PaymentReleased | PaymentConfirmed): ApInvoiceUpdate[] {
  const paymentDate = 'valueDate' in e ? e.valueDate : new Date(e.confirmedAt).toISOString().slice(0, 10);
  return e.allocations.map((allocation) => ({
    invoiceId: allocation.invoiceId,
    payment: { ...paymentOf(e.paymentId, allocation), paymentDate, voided: false },
    occurredAt: at(e.envelope),
  }));
}

/** A voided payment: one update per invoice it had settled, with a comment saying so. */
export function paymentVoidedUpdates(e: PaymentVoided): ApInvoiceUpdate[] {
  const text = `Payment ${e.paymentId} was voided in the ERP on ${e.voidDate}${e.reason ? `: ${e.reason}` : ''}; what it paid is open again (AP's payment record of it stays: Coupa documents no API to remove one).`;
  return e.allocations.map((allocation) => ({
    invoiceId: allocation.invoiceId,
    payment: { ...paymentOf(e.paymentId, allocation), paymentDate: e.voidDate, voided: true, ...(e.reason ? { voidReason: e.reason } : {}) },
    comment: text,
    occurredAt: at(e.envelope),
  }));
}

function paymentOf(paymentId: string, allocation: PaymentAllocation): Omit<ApPaymentRecord, 'paymentDate' | 'voided'> {
  return {
    notes: paymentNotes(paymentId),
    amountPaid: allocation.amount.amount,
    settles: sumDecimals([allocation.amount.amount, allocation.discountTaken?.amount ?? '0'], 4),
    paymentId,
  };
}

/** The payment's mark on the AP invoice: found again before a re-send, so a payment is recorded once. */
export function paymentNotes(paymentId: string): string {
  return `finmesh payment ${paymentId}`;
}
