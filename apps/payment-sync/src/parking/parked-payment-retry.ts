/**
 * Retries the parked payments an invoice may unblock, in the caller's transaction (the
 * InvoicePosted handler's), oldest first. A payment that is now resolvable is processed exactly as
 * if it had just been delivered; one that still waits keeps waiting with an updated reason; one
 * that resolves but cannot be applied (e.g. overpayment) is marked REFUSED with the reason: kept
 * for ops, never dropped, and never allowed to fail the invoice's own posting.
 */
import { MappingError, readFusionPayment } from '@finmesh/adapters';
import { processPayment } from '../payments/payment-processor';
import { PaymentRefused } from '../payments/payment-refused';
import type { UnitOfWork } from '../payments/unit-of-work';
import { parkedPayments } from './parked-payment-store';

export interface ParkedRetryOutcome {
  readonly parkedId: string;
  readonly outcome: 'RESOLVED' | 'STILL_PARKED' | 'REFUSED';
  /** Set when resolving it confirmed a payment released earlier (for metrics). */
  readonly confirmationDelaySeconds?: number;
}

export async function retryParkedPayments(uow: UnitOfWork, references: readonly string[]): Promise<ParkedRetryOutcome[]> {
  // Usually already held by the caller (advisory locks are re-entrant within a transaction).
  await parkedPayments.lockParkingExclusively(uow);
  const candidates = await parkedPayments.candidates(uow, references);
  const outcomes: ParkedRetryOutcome[] = [];
  for (const row of candidates) {
    try {
      const payment = readFusionPayment(row.payload);
      const result = await processPayment(uow, payment, { payload: row.payload, deliveredBy: row.parked_by, parkedId: row.parked_id });
      if (result.kind === 'PARKED') {
        outcomes.push({ parkedId: row.parked_id, outcome: 'STILL_PARKED' });
      } else if (result.kind === 'NOTHING_TO_VOID') {
        // Its earlier deliveries were refused: nothing was recorded, so nothing re-opens. Kept for ops.
        await parkedPayments.markRefused(uow, row.parked_id, result.reason);
        outcomes.push({ parkedId: row.parked_id, outcome: 'REFUSED' });
      } else {
        await parkedPayments.markResolved(uow, row.parked_id, result.paymentId);
        outcomes.push({ parkedId: row.parked_id, outcome: 'RESOLVED', confirmationDelaySeconds: result.kind === 'RECORDED' ? result.confirmationDelaySeconds : undefined });
      }
    } catch (err) {
      if (!(err instanceof PaymentRefused) && !(err instanceof MappingError)) throw err;
      await parkedPayments.markRefused(uow, row.parked_id, err.message);
      outcomes.push({ parkedId: row.parked_id, outcome: 'REFUSED' });
    }
  }
  return outcomes;
}
