import type { EntityManager } from 'typeorm';

type Db = Pick<EntityManager, 'query'>;

export interface ParkedReceipt {
  readonly parkedId: string;
  readonly receiptKey: string;
  readonly poNumber: string | null;
  readonly purchaseOrderId: string | null;
  readonly reason: string;
  readonly parkedAt: string;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
  /** The receiving transactions as procurement sent them, so ops can re-submit them once fixed. */
  readonly payload: unknown;
}

interface ParkedRow {
  parked_id: string; receipt_key: string; po_number: string | null; purchase_order_id: string | null; reason: string;
  parked_at: Date; resolved_at: Date | null; resolution: string | null; payload: unknown;
}

/** The ops queue of refused receipts. */
export class ParkedReceiptStore {
  /** Parks a receipt; a re-send of the same receipt updates its open entry (latest payload and reason). */
  async park(db: Db, p: { receiptKey: string; poNumber: string; purchaseOrderId: string; payload: unknown; reason: string }): Promise<string> {
    const rows = (await db.query(
      `INSERT INTO parked_receipts (receipt_key, po_number, purchase_order_id, payload, reason)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (receipt_key) WHERE resolved_at IS NULL
       DO UPDATE SET payload = EXCLUDED.payload, reason = EXCLUDED.reason, parked_at = now()
       RETURNING parked_id`,
      [p.receiptKey, p.poNumber, p.purchaseOrderId, JSON.stringify(p.payload), p.reason],
    )) as { parked_id: string }[];
    return rows[0]!.parked_id;
  }

  /** Marks the open entry of a receipt resolved (it was recorded after all). */
  async resolve(db: Db, receiptKey: string, resolution: string): Promise<void> {
    await db.query(`UPDATE parked_receipts SET resolved_at = now(), resolution = $2 WHERE receipt_key = $1 AND resolved_at IS NULL`, [receiptKey, resolution]);
  }

  async list(db: Db, includeResolved: boolean): Promise<ParkedReceipt[]> {
    const rows = (await db.query(
      `SELECT * FROM parked_receipts ${includeResolved ? '' : 'WHERE resolved_at IS NULL'} ORDER BY parked_at, parked_id LIMIT 500`,
    )) as ParkedRow[];
    return rows.map((r) => ({
      parkedId: r.parked_id, receiptKey: r.receipt_key, poNumber: r.po_number, purchaseOrderId: r.purchase_order_id, reason: r.reason,
      parkedAt: r.parked_at.toISOString(), resolvedAt: r.resolved_at?.toISOString() ?? null, resolution: r.resolution, payload: r.payload,
    }));
  }
}
