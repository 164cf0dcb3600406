/**
 * Applies one Fusion payment delivery inside a unit of work: records it and its allocations,
 * moves the invoices' paid amounts and statuses, and emits PaymentReleased (and PaymentConfirmed)
 * — or parks it when an invoice is unknown. Used by the HTTP endpoint and, for parked payments,
 * by the InvoicePosted handler; both run it in one transaction with everything else they do.
 *
 * Deliveries are idempotent on the ERP payment id, independent of HTTP Idempotency-Keys (the ERP
 * may redeliver a payment under a new key): Negotiable after Negotiable or anything after Cleared
 * changes nothing and publishes nothing. A voided delivery (Fusion VoidDate) of a recorded payment
 * reverses its settlements (the invoices re-open) and publishes PaymentVoided; a void of a payment
 * finmesh never recorded changes nothing (NOTHING_TO_VOID). Stop-initiated payments are refused (422)
 * for now: nothing is written for them.
 */
import { type FusionPayment, nameBasedId } from '@finmesh/adapters';
import { decimal, MONEY_SCALE, sumDecimals, type PaymentAllocation } from '@finmesh/contracts';
import type { OutboxEvent } from '@finmesh/messaging';
import { parkingReason, resolveInvoices, supplierIdOf, type InvoiceResolution } from '../invoices/invoice-resolution';
import { payableInvoices } from '../invoices/payable-invoice-store';
import { parkedPayments } from '../parking/parked-payment-store';
import { confirmationDelayDays, paymentConfirmed, paymentReleased, paymentVoided, type RecordedPayment } from './payment-events';
import { paymentAuditSummary, paymentParked, paymentTransition } from './payment-audit';
import { PaymentRefused } from './payment-refused';
import { paymentStatusOf, settle, type InvoiceBalance } from './settlement';
import { paymentStore, type PaymentStatus, type RecordedPaymentRow } from './payment-store';
import type { UnitOfWork } from './unit-of-work';
import type { LegalEntityCheck } from '@finmesh/service-kit';

// Defined next to the payments table it describes; re-exported for the callers of processPayment.
export type { PaymentStatus } from './payment-store';

export type PaymentOutcome =
  | {
      readonly kind: 'RECORDED';
      readonly paymentId: string;
      readonly paymentStatus: PaymentStatus;
      readonly published: readonly string[];
      /** Released → confirmed, when this delivery confirmed a payment released earlier (for metrics). */
      readonly confirmationDelaySeconds?: number;
    }
  | { readonly kind: 'ALREADY_RECORDED'; readonly paymentId: string; readonly paymentStatus: PaymentStatus }
  | { readonly kind: 'PARKED'; readonly parkedId: string; readonly reason: string }
  | { readonly kind: 'NOTHING_TO_VOID'; readonly reason: string };

export interface DeliveryContext {
  /** The payload as received: what a parked payment keeps to be processed later. */
  readonly payload: unknown;
  /** Client that delivered it. */
  readonly deliveredBy: string;
  /** Set when a parked delivery is being retried: it is updated instead of parked anew. */
  readonly parkedId?: string;
  /**
   * The API caller's legal-entity scope: a payment of (or paying invoices of) another entity is
   * refused (403) and nothing is written. A payment parked for invoices finmesh does not know yet
   * has no entity to check until they are known; its retry is the service's own.
   */
  readonly mayActOn?: LegalEntityCheck;
}

export function paymentIdOf(erpPaymentId: string): string {
  // Payments originate in the ERP: the adapters' convention keys them by the ERP's id.
  return nameBasedId('payment', erpPaymentId);
}

/** Reasons of the Fusion payment states payment-sync cannot apply yet. */
const NOT_HANDLED_YET: Partial<Record<FusionPayment['status'], string>> = {
  // A stop request ends voided (then VoidDate comes) or released back to Negotiable.
  STOP_INITIATED: 'stop-initiated payments are not handled yet by this endpoint',
};

export async function processPayment(uow: UnitOfWork, payment: FusionPayment, delivery: DeliveryContext): Promise<PaymentOutcome> {
  const notHandled = NOT_HANDLED_YET[payment.status];
  if (notHandled !== undefined) {
    throw new PaymentRefused(payment.erpPaymentId, [{ path: 'PaymentStatus', reason: `${notHandled} (PaymentStatus ${JSON.stringify(payment.erpStatus)}${payment.voidDate ? `, VoidDate ${payment.voidDate}` : ''})` }]);
  }
  if (delivery.parkedId === undefined) {
    await parkedPayments.lockParkingShared(uow);
  }
  // HTTP deliveries are the caller's doing; a parked one retried on InvoicePosted is the service's.
  const actor = delivery.parkedId === undefined ? delivery.deliveredBy : undefined;
  // One delivery of a given ERP payment at a time.
  await paymentStore.lockErpPayment(uow, payment.erpPaymentId);

  const existing = await paymentStore.recordedOf(uow, payment.erpPaymentId);
  if (existing) {
    delivery.mayActOn?.(existing.legal_entity.code, `payment ${payment.paymentNumber}`);
    if (payment.status === 'VOIDED' && existing.status !== 'VOIDED') return voidRecorded(uow, payment, existing, actor);
    // Voided stays voided: a late Negotiable or Cleared delivery of it changes nothing.
    if (existing.status !== 'RELEASED' || payment.status !== 'CLEARED') {
      return { kind: 'ALREADY_RECORDED', paymentId: existing.payment_id, paymentStatus: existing.status };
    }
    return confirmRecorded(uow, payment, existing, actor);
  }

  // Keep the ERP's order: a Cleared or voided delivery must not overtake its parked Negotiable delivery.
  const earlier = await parkedPayments.earlierParkedOf(uow, payment.erpPaymentId, delivery.parkedId);
  if (payment.status === 'VOIDED' && earlier.length === 0) {
    return { kind: 'NOTHING_TO_VOID', reason: `payment ${payment.erpPaymentId} was voided (VoidDate ${payment.voidDate}) before finmesh recorded it: nothing was released, nothing re-opens` };
  }
  const resolution = payment.status === 'VOIDED' ? { resolved: [], ambiguous: [], unknown: [] } : await resolveInvoices(uow, payment, { lock: earlier.length === 0 });
  if (earlier.length > 0 || resolution.unknown.length > 0) {
    const awaiting = resolution.unknown.length > 0 ? resolution.unknown.map((u) => u.awaiting) : [`payment:${payment.erpPaymentId}`];
    const reasons = [
      ...(resolution.unknown.length > 0 ? [parkingReason(resolution.unknown)] : []),
      ...(earlier.length > 0 ? [`an earlier delivery of payment ${payment.erpPaymentId} is parked (${earlier.join(', ')})`] : []),
    ];
    const reason = reasons.join('; ');
    if (delivery.parkedId !== undefined) {
      await parkedPayments.stillParked(uow, delivery.parkedId, reason, awaiting);
      return { kind: 'PARKED', parkedId: delivery.parkedId, reason };
    }
    const parkedId = await parkedPayments.park(uow, {
      erpPaymentId: payment.erpPaymentId,
      erpStatus: payment.erpStatus,
      payload: delivery.payload,
      reason,
      awaiting,
      parkedBy: delivery.deliveredBy,
    });
    await uow.audit(paymentParked(paymentIdOf(payment.erpPaymentId), { parkedId, erpPaymentId: payment.erpPaymentId, erpStatus: payment.erpStatus, reason, awaiting }, actor));
    return { kind: 'PARKED', parkedId, reason };
  }
  for (const { invoice } of resolution.resolved) delivery.mayActOn?.(invoice.legalEntity.code, `payment ${payment.paymentNumber} (invoice ${invoice.supplierInvoiceNumber ?? invoice.invoiceId})`);
  return recordNew(uow, payment, resolution, actor);
}

async function recordNew(uow: UnitOfWork, payment: FusionPayment, resolution: InvoiceResolution, actor: string | undefined): Promise<PaymentOutcome> {
  const problems: { path: string; reason: string }[] = resolution.ambiguous.map((a) => ({
    path: `relatedInvoices[${a.related.index}]`,
    reason: `matches ${a.invoiceIds.length} posted finmesh invoices (${a.invoiceIds.join(', ')}); send the ERP InvoiceId`,
  }));
  const invoices = new Map(resolution.resolved.map((r) => [r.invoice.invoiceId, r.invoice]));
  const legalEntities = new Set([...invoices.values()].map((i) => i.legalEntity.code));
  if (legalEntities.size > 1) {
    problems.push({ path: 'relatedInvoices', reason: `pays invoices of several legal entities (${[...legalEntities].join(', ')}); a payment belongs to one` });
  }
  const suppliers = new Set([...invoices.values()].map((i) => i.supplierId).filter((s): s is string => s !== null));
  if (suppliers.size > 1) {
    problems.push({ path: 'relatedInvoices', reason: `pays invoices of several suppliers (${[...suppliers].join(', ')})` });
  }
  const balances = new Map<string, InvoiceBalance>([...invoices.values()].map((i) => [i.invoiceId, i]));
  const settlement = settle(
    balances,
    resolution.resolved.map((r) => ({
      invoiceId: r.invoice.invoiceId,
      amount: r.related.amountPaid,
      currency: payment.currency,
      path: `relatedInvoices[${r.related.index}].AmountPaid`,
    })),
  );
  if (!settlement.ok) problems.push(...settlement.problems);
  if (problems.length > 0 || !settlement.ok) throw new PaymentRefused(payment.erpPaymentId, problems);

  const first = resolution.resolved[0];
  if (!first) throw new Error('a payment has at least one related invoice');
  // One allocation per invoice (installments of one invoice in one payment are summed): consumers
  // key allocations by (payment, invoice).
  const byInvoice = new Map<string, { allocation: PaymentAllocation; erpInvoiceId: string | null }>();
  for (const r of resolution.resolved) {
    const seen = byInvoice.get(r.invoice.invoiceId);
    if (seen) {
      seen.allocation.amount.amount = sumDecimals([seen.allocation.amount.amount, r.related.amountPaid], MONEY_SCALE);
      continue;
    }
    byInvoice.set(r.invoice.invoiceId, {
      erpInvoiceId: r.related.erpInvoiceId ?? r.invoice.erpDocumentId,
      allocation: {
        invoiceId: r.invoice.invoiceId,
        supplierInvoiceNumber: r.invoice.supplierInvoiceNumber ?? r.related.invoiceNumber,
        amount: { amount: r.related.amountPaid, currency: payment.currency },
        discountTaken: null,
      },
    });
  }
  const allocations = [...byInvoice.values()].map((a) => a.allocation);
  const recorded: RecordedPayment = {
    paymentId: paymentIdOf(payment.erpPaymentId),
    paymentRunId: payment.paymentRunId,
    supplierId: [...suppliers][0] ?? supplierIdOf(payment.supplierNumber),
    amount: payment.amount,
    currency: payment.currency,
    method: payment.method,
    valueDate: payment.paymentDate,
    payeeBankAccountRef: payment.payeeBankAccountRef,
    legalEntity: first.invoice.legalEntity,
    correlationId: first.invoice.correlationId,
    allocations,
  };
  const released = paymentReleased(recorded);
  const events: OutboxEvent[] = [{ event: 'PaymentReleased', key: recorded.paymentId, value: released }];
  const confirmed = payment.status === 'CLEARED' ? paymentConfirmed(recorded, confirmationOf(payment)) : undefined;
  if (confirmed) events.push({ event: 'PaymentConfirmed', key: recorded.paymentId, value: confirmed });

  await paymentStore.insert(uow, {
    paymentId: recorded.paymentId,
    erpPaymentId: payment.erpPaymentId,
    erpPaymentNumber: payment.paymentNumber,
    paymentRunId: recorded.paymentRunId,
    supplierId: recorded.supplierId,
    amount: recorded.amount,
    currency: recorded.currency,
    method: recorded.method,
    valueDate: recorded.valueDate,
    payeeBankAccountRef: recorded.payeeBankAccountRef,
    status: confirmed ? 'CONFIRMED' : 'RELEASED',
    legalEntity: recorded.legalEntity,
    correlationId: recorded.correlationId,
    releasedEventId: released.envelope.eventId,
    confirmedEventId: confirmed?.envelope.eventId ?? null,
    bankReference: confirmed ? payment.paymentReference : null,
    clearedDate: confirmed ? payment.clearingDate : null,
    confirmedRecordedAt: confirmed ? new Date() : null,
    confirmationDelayDays: confirmed && payment.clearingDate ? confirmationDelayDays(payment.paymentDate, payment.clearingDate) : null,
    // Never seen released before: no delay between the two deliveries to report.
    confirmationDelaySeconds: confirmed ? 0 : null,
  });
  await paymentStore.insertAllocations(
    uow,
    recorded.paymentId,
    [...byInvoice.values()].map(({ allocation, erpInvoiceId }, position) => ({
      position,
      invoiceId: allocation.invoiceId,
      supplierInvoiceNumber: allocation.supplierInvoiceNumber,
      erpInvoiceId,
      amount: allocation.amount.amount,
      currency: allocation.amount.currency,
    })),
  );
  for (const s of settlement.settlements) {
    await payableInvoices.applySettlement(uow, s);
  }
  await uow.emit(events);
  await uow.audit(
    paymentTransition(recorded, confirmed ? 'payment.confirmed' : 'payment.released', null, confirmed ? 'CONFIRMED' : 'RELEASED', (confirmed ?? released).envelope.eventId, actor),
  );
  return { kind: 'RECORDED', paymentId: recorded.paymentId, paymentStatus: confirmed ? 'CONFIRMED' : 'RELEASED', published: events.map((e) => e.event) };
}

/** A Cleared delivery of a payment already recorded as released: confirm it with its recorded allocations. */
async function confirmRecorded(uow: UnitOfWork, payment: FusionPayment, existing: RecordedPaymentRow, actor: string | undefined): Promise<PaymentOutcome> {
  if (payment.amount !== existing.amount || payment.currency !== existing.currency) {
    throw new PaymentRefused(payment.erpPaymentId, [
      { path: 'PaymentAmount', reason: `cleared ${payment.amount} ${payment.currency} but ${existing.amount} ${existing.currency} was released` },
    ]);
  }
  const recorded = await recordedOf(uow, existing);
  const confirmation = confirmationOf(payment);
  const confirmed = paymentConfirmed(recorded, confirmation);
  await paymentStore.confirm(uow, {
    paymentId: existing.payment_id,
    confirmedEventId: confirmed.envelope.eventId,
    bankReference: confirmation.bankReference,
    clearedDate: confirmation.clearedDate,
    confirmationDelayDays: confirmationDelayDays(existing.value_date, confirmation.clearedDate),
  });
  await uow.emit([{ event: 'PaymentConfirmed', key: existing.payment_id, value: confirmed }]);
  await uow.audit(paymentTransition(recorded, 'payment.confirmed', paymentAuditSummary(recorded, 'RELEASED'), 'CONFIRMED', confirmed.envelope.eventId, actor));
  return {
    kind: 'RECORDED',
    paymentId: existing.payment_id,
    paymentStatus: 'CONFIRMED',
    published: ['PaymentConfirmed'],
    confirmationDelaySeconds: Math.max(0, (Date.now() - existing.released_recorded_at.getTime()) / 1000),
  };
}

/** A recorded payment with its allocations, as events about it carry them. */
async function recordedOf(uow: UnitOfWork, existing: RecordedPaymentRow): Promise<RecordedPayment> {
  const allocationRows = await paymentStore.recordedAllocations(uow, existing.payment_id);
  return {
    paymentId: existing.payment_id,
    paymentRunId: existing.payment_run_id,
    supplierId: existing.supplier_id,
    amount: existing.amount,
    currency: existing.currency,
    method: existing.method,
    valueDate: existing.value_date,
    payeeBankAccountRef: existing.payee_bank_account_ref,
    legalEntity: existing.legal_entity,
    correlationId: existing.correlation_id,
    allocations: allocationRows.map((a) => ({
      invoiceId: a.invoice_id,
      supplierInvoiceNumber: a.supplier_invoice_number,
      amount: { amount: a.amount, currency: a.currency },
      discountTaken: null,
    })),
  };
}

/**
 * A voided delivery of a recorded payment (released or confirmed): what it settled is taken back
 * from its invoices (they re-open), the payment is kept VOIDED, and PaymentVoided is published.
 */
async function voidRecorded(uow: UnitOfWork, payment: FusionPayment, existing: RecordedPaymentRow, actor: string | undefined): Promise<PaymentOutcome> {
  const recorded = await recordedOf(uow, existing);
  const invoiceIds = [...new Set(recorded.allocations.map((a) => a.invoiceId))];
  const invoices = await payableInvoices.lockForPayment(uow, invoiceIds);
  for (const invoice of invoices) {
    const reversed = recorded.allocations.filter((a) => a.invoiceId === invoice.invoice_id).map((a) => a.amount.amount);
    const paid = decimal(invoice.amount_paid).sub(decimal(sumDecimals(reversed, MONEY_SCALE)));
    if (paid.isNegative()) throw new Error(`voiding payment ${existing.payment_id} would make invoice ${invoice.invoice_id} paid ${paid.toFixed(MONEY_SCALE)}`);
    await payableInvoices.applySettlement(uow, { invoiceId: invoice.invoice_id, amountPaid: paid.toFixed(MONEY_SCALE), status: paymentStatusOf(paid, decimal(invoice.gross_amount)) });
  }
  // readFusionPayment sets voidDate for every VOIDED payment.
  const voidDate = payment.voidDate ?? payment.paymentDate;
  const voided = paymentVoided(recorded, { voidDate, reason: null });
  await paymentStore.void(uow, { paymentId: existing.payment_id, voidedEventId: voided.envelope.eventId, voidDate });
  await uow.emit([{ event: 'PaymentVoided', key: existing.payment_id, value: voided }]);
  await uow.audit(paymentTransition(recorded, 'payment.voided', paymentAuditSummary(recorded, existing.status), 'VOIDED', voided.envelope.eventId, actor));
  return { kind: 'RECORDED', paymentId: existing.payment_id, paymentStatus: 'VOIDED', published: ['PaymentVoided'] };
}

/** The confirmation of a cleared payment: Fusion's PaymentReference is its bank reference, ClearingDate its cleared date. */
function confirmationOf(payment: FusionPayment): { bankReference: string; clearedDate: string } {
  // readFusionPayment requires both for a Cleared payment.
  if (payment.paymentReference === null || payment.clearingDate === null) throw new Error(`Cleared payment ${payment.erpPaymentId} without PaymentReference or ClearingDate`);
  return { bankReference: payment.paymentReference, clearedDate: payment.clearingDate };
}
