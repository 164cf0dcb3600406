import type { PaymentAllocation } from '@finmesh/contracts';
import type { AuditSummary } from '@finmesh/messaging';
import type { ServiceAuditEntry } from '@finmesh/service-kit';
import type { RecordedPayment } from './payment-events';

/**
 * The audited view of a payment: status, amount, allocations. Never the payee bank account
 * (reference or details) or the bank's transaction reference.
 */
export function paymentAuditSummary(p: RecordedPayment, status: 'RELEASED' | 'CONFIRMED' | 'VOIDED'): AuditSummary {
  return {
    status,
    paymentRunId: p.paymentRunId,
    supplierId: p.supplierId,
    amount: p.amount,
    currency: p.currency,
    method: p.method,
    valueDate: p.valueDate,
    allocations: p.allocations.map((a: PaymentAllocation) => ({ invoiceId: a.invoiceId, amount: a.amount.amount, currency: a.amount.currency })),
  };
}

export function paymentTransition(
  p: RecordedPayment,
  action: 'payment.released' | 'payment.confirmed' | 'payment.voided',
  before: AuditSummary | null,
  status: 'RELEASED' | 'CONFIRMED' | 'VOIDED',
  causingEventId: string,
  actor: string | undefined,
): ServiceAuditEntry {
  return { entityType: 'payment', entityId: p.paymentId, action, actor, before, after: paymentAuditSummary(p, status), causingEventId, correlationId: p.correlationId };
}

export function paymentParked(
  paymentId: string,
  parked: { parkedId: string; erpPaymentId: string; erpStatus: string; reason: string; awaiting: readonly string[] },
  actor: string | undefined,
): ServiceAuditEntry {
  return {
    entityType: 'payment', entityId: paymentId, action: 'payment.parked', actor, before: null,
    after: { status: 'PARKED', ...parked, awaiting: [...parked.awaiting] }, causingEventId: null,
  };
}
