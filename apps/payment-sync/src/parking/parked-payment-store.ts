import { randomUUID } from 'node:crypto';
import { resultRows, type SqlExecutor } from '@finmesh/persistence';
import { PARKING_LOCK_KEY } from '../database/advisory-locks';

export interface ParkedRow {
  readonly parked_id: string;
  readonly erp_payment_id: string;
  readonly payload: unknown;
  readonly parked_by: string;
}

/** A parked payment as the ops list shows it (payload as delivered: the caller masks it). */
export interface ParkedListRow {
  readonly parked_id: string;
  readonly erp_payment_id: string;
  readonly erp_status: string;
  readonly payload: unknown;
  readonly reason: string;
  readonly awaiting: string[];
  readonly status: string;
  readonly parked_by: string;
  readonly parked_at: Date;
  readonly resolved_at: Date | null;
  readonly payment_id: string | null;
}

/**
 * The parked_payments table: payments waiting for invoices finmesh does not know yet. Every method
 * runs on the executor it is given: the caller's unit of work (HTTP transaction or the handler's),
 * or the DataSource's manager for the ops list.
 */
export class ParkedPaymentStore {
  /**
   * Takes the parking lock exclusively until the transaction ends (see PARKING_LOCK_KEY).
   * Re-entrant within a transaction, so a caller that holds it already may call this again.
   */
  async lockParkingExclusively(db: SqlExecutor): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [PARKING_LOCK_KEY]);
  }

  /** Takes the parking lock shared until the transaction ends: payment deliveries run side by side. */
  async lockParkingShared(db: SqlExecutor): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [PARKING_LOCK_KEY]);
  }

  async park(
    db: SqlExecutor,
    p: { erpPaymentId: string; erpStatus: string; payload: unknown; reason: string; awaiting: readonly string[]; parkedBy: string },
  ): Promise<string> {
    const parkedId = randomUUID();
    await db.query(
      `INSERT INTO parked_payments (parked_id, erp_payment_id, erp_status, payload, reason, awaiting, parked_by)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
      [parkedId, p.erpPaymentId, p.erpStatus, JSON.stringify(p.payload), p.reason, p.awaiting, p.parkedBy],
    );
    return parkedId;
  }

  /** A parked payment that is still not resolvable: what it now waits for. */
  async stillParked(db: SqlExecutor, parkedId: string, reason: string, awaiting: readonly string[]): Promise<void> {
    await db.query('UPDATE parked_payments SET reason = $2, awaiting = $3 WHERE parked_id = $1', [parkedId, reason, awaiting]);
  }

  async markResolved(db: SqlExecutor, parkedId: string, paymentId: string): Promise<void> {
    await db.query(`UPDATE parked_payments SET status = 'RESOLVED', resolved_at = now(), payment_id = $2 WHERE parked_id = $1`, [parkedId, paymentId]);
  }

  /** Resolvable but not applicable (e.g. overpayment): kept, visible to ops, never dropped. */
  async markRefused(db: SqlExecutor, parkedId: string, reason: string): Promise<void> {
    await db.query(`UPDATE parked_payments SET status = 'REFUSED', resolved_at = now(), reason = $2 WHERE parked_id = $1`, [parkedId, reason]);
  }

  /** Parked deliveries of the same ERP payment that came before `beforeParkedId` (or any, without it). */
  async earlierParkedOf(db: SqlExecutor, erpPaymentId: string, beforeParkedId?: string): Promise<string[]> {
    // Compared in SQL: parked_at has microseconds, a JS Date only milliseconds.
    const rows = beforeParkedId
      ? resultRows<{ parked_id: string }>(
          await db.query(
            `SELECT parked_id FROM parked_payments WHERE erp_payment_id = $1 AND status = 'PARKED'
                AND (parked_at, parked_id) < (SELECT parked_at, parked_id FROM parked_payments WHERE parked_id = $2::uuid)`,
            [erpPaymentId, beforeParkedId],
          ),
        )
      : resultRows<{ parked_id: string }>(await db.query(`SELECT parked_id FROM parked_payments WHERE erp_payment_id = $1 AND status = 'PARKED'`, [erpPaymentId]));
    return rows.map((r) => r.parked_id);
  }

  /**
   * Parked payments an invoice may unblock: those awaiting one of `references`, plus later parked
   * deliveries of the same ERP payments (a Cleared parked behind its Issued), oldest first.
   */
  async candidates(db: SqlExecutor, references: readonly string[]): Promise<ParkedRow[]> {
    return resultRows<ParkedRow>(
      await db.query(
        `SELECT parked_id, erp_payment_id, payload, parked_by FROM parked_payments
          WHERE status = 'PARKED'
            AND erp_payment_id IN (SELECT erp_payment_id FROM parked_payments WHERE status = 'PARKED' AND awaiting && $1::text[])
          ORDER BY parked_at, parked_id
          FOR UPDATE`,
        [references],
      ),
    );
  }

  /** The ops list: parked payments in `status` ('ALL' for every status), oldest first. */
  async list(db: SqlExecutor, status: string): Promise<ParkedListRow[]> {
    return resultRows<ParkedListRow>(
      await db.query(
        `SELECT parked_id, erp_payment_id, erp_status, payload, reason, awaiting, status, parked_by, parked_at, resolved_at, payment_id
           FROM parked_payments WHERE ($1 = 'ALL' OR status = $1) ORDER BY parked_at, parked_id`,
        [status],
      ),
    );
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const parkedPayments = new ParkedPaymentStore();
