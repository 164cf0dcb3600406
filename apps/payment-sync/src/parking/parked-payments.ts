/** The parked_payments table: payments waiting for invoices finmesh does not know yet. */
import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../payments/unit-of-work';

export interface ParkedRow {
  readonly parked_id: string;
  readonly erp_payment_id: string;
  readonly payload: unknown;
  readonly parked_by: string;
}

export async function parkPayment(
  uow: UnitOfWork,
  p: { erpPaymentId: string; erpStatus: string; payload: unknown; reason: string; awaiting: readonly string[]; parkedBy: string },
): Promise<string> {
  const parkedId = randomUUID();
  await uow.query(
    `INSERT INTO parked_payments (parked_id, erp_payment_id, erp_status, payload, reason, awaiting, parked_by)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
    [parkedId, p.erpPaymentId, p.erpStatus, JSON.stringify(p.payload), p.reason, p.awaiting, p.parkedBy],
  );
  return parkedId;
}

/** A parked payment that is still not resolvable: what it now waits for. */
export async function stillParked(uow: UnitOfWork, parkedId: string, reason: string, awaiting: readonly string[]): Promise<void> {
  await uow.query('UPDATE parked_payments SET reason = $2, awaiting = $3 WHERE parked_id = $1', [parkedId, reason, awaiting]);
}

export async function markResolved(uow: UnitOfWork, parkedId: string, paymentId: string): Promise<void> {
  await uow.query(`UPDATE parked_payments SET status = 'RESOLVED', resolved_at = now(), payment_id = $2 WHERE parked_id = $1`, [parkedId, paymentId]);
}

/** Resolvable but not applicable (e.g. overpayment): kept, visible to ops, never dropped. */
export async function markRefused(uow: UnitOfWork, parkedId: string, reason: string): Promise<void> {
  await uow.query(`UPDATE parked_payments SET status = 'REFUSED', resolved_at = now(), reason = $2 WHERE parked_id = $1`, [parkedId, reason]);
}

/** Parked deliveries of the same ERP payment that came before `beforeParkedId` (or any, without it). */
export async function earlierParkedOf(uow: UnitOfWork, erpPaymentId: string, beforeParkedId?: string): Promise<string[]> {
  // Compared in SQL: parked_at has microseconds, a JS Date only milliseconds.
  const rows = beforeParkedId
    ? await uow.query<{ parked_id: string }>(
        `SELECT parked_id FROM parked_payments WHERE erp_payment_id = $1 AND status = 'PARKED'
            AND (parked_at, parked_id) < (SELECT parked_at, parked_id FROM parked_payments WHERE parked_id = $2::uuid)`,
        [erpPaymentId, beforeParkedId],
      )
    : await uow.query<{ parked_id: string }>(`SELECT parked_id FROM parked_payments WHERE erp_payment_id = $1 AND status = 'PARKED'`, [erpPaymentId]);
  return rows.map((r) => r.parked_id);
}

/**
 * Parked payments an invoice may unblock: those awaiting one of `references`, plus later parked
 * deliveries of the same ERP payments (a Cleared parked behind its Issued), oldest first.
 */
export async function parkedCandidates(uow: UnitOfWork, references: readonly string[]): Promise<ParkedRow[]> {
  return uow.query<ParkedRow>(
    `SELECT parked_id, erp_payment_id, payload, parked_by FROM parked_payments
      WHERE status = 'PARKED'
        AND erp_payment_id IN (SELECT erp_payment_id FROM parked_payments WHERE status = 'PARKED' AND awaiting && $1::text[])
      ORDER BY parked_at, parked_id
      FOR UPDATE`,
    [references],
  );
}
