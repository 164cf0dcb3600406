/**
 * Where a Coupa invoice is in its life, and which version of it a payload is.
 *
 * Sources (compass.coupa.com, The Coupa Core API > Resources > Transactional Resources >
 * "Invoices API (/invoices)"):
 *  - `status` allowable values (confirmed): new, ap_hold, draft, on_hold, pending_receipt,
 *    rejected, abandoned, disputed, pending_approval, booking_hold, pending_action, approved,
 *    voided, processing, invalid, payable_adjustment.
 *  - Actions: `PUT /api/invoices/:id/void` voids an invoice in pending_receipt, approved (buyer and
 *    supplier) or draft (buyer); `/abandon`, `/dispute`, `/withdraw_dispute`; `PUT /api/invoices/:id`
 *    updates the SAME invoice (same `id`): a correction in Coupa is a new version of one record.
 *  - `updated-at` (datetime) and `lock-version-key` ("Lock Version", integer; unconfirmed that it
 *    moves on every update, as optimistic-lock counters do); `exported` and `last-exported-at`.
 *  - Orchestration document "Invoices Integration into your ERP": integrations pull
 *    `exported=false&status[in]=approved,voided` and mark each `?exported=true`; a UI change resets
 *    the flag only with the "Reset Invoice last exported at for every change" option, and "changes
 *    made with API won't change the Exported status".
 *
 * Phases (decided here):
 *  - CAPTURABLE: submitted and alive: pending_approval, approved, ap_hold, pending_receipt,
 *    on_hold, disputed, booking_hold, pending_action, payable_adjustment. These map to
 *    InvoiceReceived.
 *  - NOT_SUBMITTED: draft, new, processing (being created or digitised), invalid (failed Coupa's
 *    own validation): not an invoice finmesh should match yet.
 *  - VOIDED: voided. The invoice is cancelled in AP (finmesh's lifecycle event, not a capture).
 *  - WITHDRAWN: abandoned, rejected: never to be paid, though not voided.
 */
import { describeValue, FieldReader } from '../mapping/field-reader';
import { ProblemCollector } from '../mapping/mapping-error';

export const COUPA_INVOICE_STATUSES = {
  CAPTURABLE: ['pending_approval', 'approved', 'ap_hold', 'pending_receipt', 'on_hold', 'disputed', 'booking_hold', 'pending_action', 'payable_adjustment'],
  NOT_SUBMITTED: ['draft', 'new', 'processing', 'invalid'],
  VOIDED: ['voided'],
  WITHDRAWN: ['abandoned', 'rejected'],
} as const;

export type CoupaInvoicePhase = keyof typeof COUPA_INVOICE_STATUSES;

/** Phase of an invoice status; undefined for a status Coupa does not document. */
export function coupaInvoicePhase(status: string): CoupaInvoicePhase | undefined {
  return (Object.keys(COUPA_INVOICE_STATUSES) as CoupaInvoicePhase[]).find((phase) => (COUPA_INVOICE_STATUSES[phase] as readonly string[]).includes(status));
}

export interface CoupaInvoiceLifecycle {
  /** Coupa's invoice `id` as text: the key of the finmesh invoice (one id = one invoice, whatever its versions). */
  readonly invoiceKey: string;
  readonly invoiceNumber: string;
  readonly status: string;
  readonly phase: CoupaInvoicePhase;
  readonly voided: boolean;
  /** `updated-at`: moves on every change of the same invoice; the base for a capture version. */
  readonly updatedAt: Date;
  /** `lock-version-key` when Coupa sends it. */
  readonly lockVersion: number | null;
  readonly exported: boolean | null;
}

/** Reads the lifecycle facts of a Coupa invoice; throws a MappingError if they cannot be read. */
export function readCoupaInvoiceLifecycle(payload: unknown): CoupaInvoiceLifecycle {
  const problems = new ProblemCollector();
  const r = FieldReader.root(payload, problems);
  const id = r?.string('id');
  const invoiceNumber = r?.string('invoice-number');
  const status = r?.string('status');
  const phase = status === undefined ? undefined : coupaInvoicePhase(status);
  if (r && status !== undefined && !phase) r.problem('status', `must be a Coupa invoice status (${Object.values(COUPA_INVOICE_STATUSES).flat().join(', ')}), got ${describeValue(status)}`);
  const updatedAt = r?.timestamp('updated-at');
  const lockVersion = r?.optionalInteger('lock-version-key', { min: 0 });
  const exported = r?.has('exported') ? r.boolean('exported', false) : null;
  problems.throwIfAny(`Coupa invoice ${id ?? '(without id)'}`);
  return {
    invoiceKey: id as string,
    invoiceNumber: invoiceNumber as string,
    status: status as string,
    phase: phase as CoupaInvoicePhase,
    voided: phase === 'VOIDED',
    updatedAt: updatedAt as Date,
    lockVersion: lockVersion ?? null,
    exported: exported ?? null,
  };
}
