/**
 * Builds PaymentReleased / PaymentConfirmed / PaymentVoided from a recorded payment (pure,
 * unit-tested). Each is a fact that happens once per ERP payment, so its event id is derived from
 * the payment id and the event: a payment pushed by the ERP and also polled from it, or re-read by
 * an overlapping poll, yields the same event, and consumers' inboxes drop the copy.
 */
import {
  deterministicEventId,
  newEnvelope,
  type LegalEntityRef,
  type PaymentAllocation,
  type PaymentConfirmed,
  type PaymentMethod,
  type PaymentReleased,
  type PaymentVoided,
} from '@finmesh/contracts';

export interface RecordedPayment {
  readonly paymentId: string;
  readonly paymentRunId: string;
  readonly supplierId: string;
  readonly amount: string;
  readonly currency: string;
  readonly method: PaymentMethod;
  /** 'YYYY-MM-DD' */
  readonly valueDate: string;
  readonly payeeBankAccountRef: string;
  readonly legalEntity: LegalEntityRef;
  readonly correlationId: string;
  readonly allocations: readonly PaymentAllocation[];
}

/** Midnight UTC of a calendar date: the ERP gives payment and clearing dates without a time. */
export function startOfDayUtc(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export function paymentReleased(p: RecordedPayment): PaymentReleased {
  return {
    // A fact from the ERP: no causation; the flow is the (first) invoice's.
    envelope: newEnvelope('PaymentReleased', {
      eventId: deterministicEventId('payment-sync', p.paymentId, 'PaymentReleased'),
      sourcePlatform: 'ERP',
      legalEntity: p.legalEntity,
      correlationId: p.correlationId,
      occurredAt: startOfDayUtc(p.valueDate),
    }),
    paymentId: p.paymentId,
    paymentRunId: p.paymentRunId,
    supplierId: p.supplierId,
    amount: { amount: p.amount, currency: p.currency },
    method: p.method,
    valueDate: p.valueDate,
    payeeBankAccountRef: p.payeeBankAccountRef,
    allocations: [...p.allocations],
  };
}

export function paymentConfirmed(p: RecordedPayment, confirmation: { readonly bankReference: string; readonly clearedDate: string }): PaymentConfirmed {
  const confirmedAt = startOfDayUtc(confirmation.clearedDate);
  return {
    envelope: newEnvelope('PaymentConfirmed', {
      eventId: deterministicEventId('payment-sync', p.paymentId, 'PaymentConfirmed'),
      sourcePlatform: 'ERP',
      legalEntity: p.legalEntity,
      correlationId: p.correlationId,
      occurredAt: confirmedAt,
    }),
    paymentId: p.paymentId,
    supplierId: p.supplierId,
    confirmedAt,
    bankReference: confirmation.bankReference,
    amount: { amount: p.amount, currency: p.currency },
    allocations: [...p.allocations],
  };
}

/** Whole days between the value date and the clearing date (reporting: released -> confirmed). */
export function confirmationDelayDays(valueDate: string, clearedDate: string): number {
  return Math.round((startOfDayUtc(clearedDate).getTime() - startOfDayUtc(valueDate).getTime()) / 86_400_000);
}

/** The ERP voided a recorded payment: its allocations are reversed (they re-open the invoices). */
export function paymentVoided(p: RecordedPayment, v: { readonly voidDate: string; readonly reason: string | null }): PaymentVoided {
  return {
    envelope: newEnvelope('PaymentVoided', {
      eventId: deterministicEventId('payment-sync', p.paymentId, 'PaymentVoided'),
      sourcePlatform: 'ERP',
      legalEntity: p.legalEntity,
      correlationId: p.correlationId,
      occurredAt: startOfDayUtc(v.voidDate),
    }),
    paymentId: p.paymentId,
    supplierId: p.supplierId,
    voidDate: v.voidDate,
    amount: { amount: p.amount, currency: p.currency },
    allocations: [...p.allocations],
    reason: v.reason,
  };
}
