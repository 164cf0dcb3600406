import { isoTimestamp, type PaymentConfirmed, type PaymentReleased, type PaymentVoided } from '@finmesh/contracts';
import { inSequence, type MaybePromise, type ProjectedEvent, type RowStore } from '@finmesh/projection';
import { mergeInto } from './fact-rows';
import { firstOccurrenceWins, lastWriterWins } from './merge-rules';
import { PAYMENT_ALLOCATIONS, PAYMENTS } from './reporting-tables';

/** Payments and what they paid (allocations per invoice, from the release). */
export function projectPaymentReleased(store: RowStore, e: ProjectedEvent<PaymentReleased>): MaybePromise<void> {
  const v = e.value;
  return inSequence([
    () =>
      mergeInto(store, PAYMENTS, { payment_id: v.paymentId }, e, (row) =>
        lastWriterWins(row, 'released_version', e, {
          payment_run_id: v.paymentRunId,
          supplier_id: v.supplierId,
          legal_entity: v.envelope.legalEntity.code,
          amount: v.amount.amount,
          currency: v.amount.currency,
          method: v.method,
          value_date: v.valueDate,
          released_at: e.occurredAt,
        }),
      ),
    ...v.allocations.map(
      (allocation) => () =>
        mergeInto(store, PAYMENT_ALLOCATIONS, { payment_id: v.paymentId, invoice_id: allocation.invoiceId }, e, (row) =>
          lastWriterWins(row, 'version', e, {
            amount: allocation.amount.amount,
            currency: allocation.amount.currency,
            discount_amount: allocation.discountTaken?.amount ?? null,
          }),
        ),
    ),
  ]);
}

/** The bank's confirmation time (not the event's): confirmation delay is measured against it. */
export function projectPaymentConfirmed(store: RowStore, e: ProjectedEvent<PaymentConfirmed>): MaybePromise<void> {
  return mergeInto(store, PAYMENTS, { payment_id: e.value.paymentId }, e, (row) =>
    firstOccurrenceWins(row, 'confirmed_version', e, { confirmed_at: isoTimestamp(e.value.confirmedAt) }),
  );
}

/**
 * A voided payment settles nothing any more: its void date is kept on the payment, and the
 * reports count only allocations of payments without one, so its invoices are open again.
 */
export function projectPaymentVoided(store: RowStore, e: ProjectedEvent<PaymentVoided>): MaybePromise<void> {
  return mergeInto(store, PAYMENTS, { payment_id: e.value.paymentId }, e, (row) =>
    firstOccurrenceWins(row, 'voided_version', e, { void_date: e.value.voidDate }),
  );
}
