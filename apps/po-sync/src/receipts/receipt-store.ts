import type { GoodsReceiptRecorded } from '@finmesh/contracts';
import type { EntityManager } from 'typeorm';
import type { AcceptedReceiptLine } from './receipt-checks';

type Db = Pick<EntityManager, 'query'>;

/** A receipt recorded earlier, with its lines and the PO lines' quantities as they are now. */
export interface RecordedReceiptRows {
  readonly receiptNumber: string | null;
  readonly purchaseOrderId: string;
  readonly lines: readonly AcceptedReceiptLine[];
}

/**
 * SQL for goods receipts (receipts, receipt_lines) and the received quantity they add to their
 * PO lines. Every method runs in the caller's transaction, which holds the order's lock.
 */
export class ReceiptStore {
  /** The receipt as recorded before (a re-send), or undefined when it is new. */
  async recorded(db: Db, receiptId: string): Promise<RecordedReceiptRows | undefined> {
    const rows = (await db.query(
      `SELECT r.receipt_id, r.receipt_number, r.purchase_order_id, l.line_number, l.quantity::text AS quantity, l.over_receipt,
              pl.received_qty::text AS received_qty, pl.ordered_qty::text AS ordered_qty
         FROM receipts r JOIN receipt_lines l USING (receipt_id)
         JOIN purchase_order_lines pl ON pl.purchase_order_id = r.purchase_order_id AND pl.line_number = l.line_number
        WHERE r.receipt_id = $1 ORDER BY l.line_number`,
      [receiptId],
    )) as { receipt_id: string; receipt_number: string | null; purchase_order_id: string; line_number: number; quantity: string; over_receipt: boolean; received_qty: string; ordered_qty: string }[];
    const first = rows[0];
    if (!first) return undefined;
    return {
      receiptNumber: first.receipt_number,
      purchaseOrderId: first.purchase_order_id,
      lines: rows.map((x) => ({ lineNumber: x.line_number, quantity: x.quantity, receivedAfter: x.received_qty, orderedQty: x.ordered_qty, overReceipt: x.over_receipt })),
    };
  }

  /** Records the receipt and its lines and adds each line's quantity to its PO line. */
  async record(db: Db, r: GoodsReceiptRecorded, lines: readonly AcceptedReceiptLine[]): Promise<void> {
    await db.query(
      `INSERT INTO receipts (receipt_id, purchase_order_id, receipt_number, supplier_id, received_at, received_by, event_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [r.receiptId, r.purchaseOrderId, r.receiptNumber, r.supplierId, r.receivedAt, r.receivedBy, r.envelope.eventId],
    );
    for (const [i, line] of lines.entries()) {
      await db.query(`INSERT INTO receipt_lines (receipt_id, line_number, quantity, unit_of_measure, over_receipt) VALUES ($1, $2, $3, $4, $5)`, [
        r.receiptId, line.lineNumber, line.quantity, r.lines[i]!.unitOfMeasure, line.overReceipt,
      ]);
      // Incremental and exact in SQL; the order lock serialises receipts of one order.
      await db.query(`UPDATE purchase_order_lines SET received_qty = received_qty + $3::numeric WHERE purchase_order_id = $1 AND line_number = $2`, [
        r.purchaseOrderId, line.lineNumber, line.quantity,
      ]);
    }
  }
}
