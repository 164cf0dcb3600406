import type { EntityManager } from 'typeorm';
import type { PaymentAllocation } from '@finmesh/contracts';

export type PaymentStage = 'RELEASED' | 'CONFIRMED' | 'VOIDED';

/** SQL for payment_allocations (what each payment allocated to each invoice), in the caller's transaction. */
export class PaymentAllocationStore {
  /**
   * Stores a payment's allocation to an invoice once per (payment, invoice); a confirmation
   * replaces the release, and a void replaces both. Stages only move forward (RELEASED <
   * CONFIRMED < VOIDED), so events of one payment arriving late change nothing.
   */
  async record(db: EntityManager, paymentId: string, stage: PaymentStage, a: PaymentAllocation): Promise<void> {
    await db.query(
      `INSERT INTO payment_allocations (payment_id, invoice_id, stage, amount, discount_taken, currency)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (payment_id, invoice_id) DO UPDATE SET stage = EXCLUDED.stage, amount = EXCLUDED.amount,
         discount_taken = EXCLUDED.discount_taken, currency = EXCLUDED.currency, recorded_at = now()
       -- a late release never overrides the confirmation, and nothing overrides a void
       WHERE payment_allocations.stage <> 'VOIDED' AND NOT (payment_allocations.stage = 'CONFIRMED' AND EXCLUDED.stage = 'RELEASED')`,
      [paymentId, a.invoiceId, stage, a.amount.amount, a.discountTaken?.amount ?? '0', a.amount.currency],
    );
  }

  /**
   * Sum over the invoice's allocations of amount + discount taken (voided payments settle nothing),
   * and their currencies; without `exceptPaymentId`'s allocation when given (what the invoice's
   * other payments settled, for a delivery of that payment).
   */
  async settlement(db: EntityManager, invoiceId: string, exceptPaymentId?: string): Promise<{ settled: string; currencies: string[] }> {
    const rows = (await db.query(
      `SELECT coalesce(sum(amount + discount_taken), 0)::numeric(19,4)::text AS settled, coalesce(array_agg(DISTINCT currency) FILTER (WHERE currency IS NOT NULL), '{}') AS currencies
       FROM payment_allocations WHERE invoice_id = $1 AND stage <> 'VOIDED' AND payment_id IS DISTINCT FROM $2`,
      [invoiceId, exceptPaymentId ?? null],
    )) as { settled: string; currencies: string[] }[];
    return { settled: rows[0]?.settled ?? '0.0000', currencies: rows[0]?.currencies ?? [] };
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const paymentAllocationStore = new PaymentAllocationStore();
