import { Decimal, decimal, QUANTITY_SCALE } from '@finmesh/contracts';
import { BusinessRuleViolation } from '@finmesh/messaging';
import type { EntityManager } from 'typeorm';

type Db = Pick<EntityManager, 'query'>;

export interface InvoiceLineQuantity {
  readonly lineNumber: number;
  readonly quantity: string;
}

/**
 * Invoiced quantity per PO line = the sum over invoices of what each invoice accounts for.
 * Each invoice's contribution is stored per line and REPLACED when the invoice is matched again,
 * so a re-match (a new event, not a redelivery: those the inbox drops) cannot double count.
 */
export class InvoicedQuantityStore {
  async apply(db: Db, p: { purchaseOrderId: string; invoiceId: string; source: 'MATCHED' | 'OVERRIDE'; eventId: string; lines: readonly InvoiceLineQuantity[] }): Promise<void> {
    const known = (await db.query(`SELECT line_number FROM purchase_order_lines WHERE purchase_order_id = $1 FOR UPDATE`, [p.purchaseOrderId])) as { line_number: number }[];
    if (known.length === 0) {
      throw new BusinessRuleViolation(`invoice ${p.invoiceId} refers to purchase order ${p.purchaseOrderId}, which po-sync does not know`, 'PO_NOT_FOUND');
    }
    const missing = p.lines.filter((l) => !known.some((k) => k.line_number === l.lineNumber)).map((l) => l.lineNumber);
    if (missing.length > 0) {
      throw new BusinessRuleViolation(`invoice ${p.invoiceId} refers to lines ${missing.join(', ')} that purchase order ${p.purchaseOrderId} does not have`, 'PO_LINE_NOT_FOUND');
    }
    await db.query(`DELETE FROM invoiced_quantities WHERE purchase_order_id = $1 AND invoice_id = $2`, [p.purchaseOrderId, p.invoiceId]);
    for (const l of sumPerLine(p.lines)) {
      await db.query(
        `INSERT INTO invoiced_quantities (purchase_order_id, line_number, invoice_id, quantity, source, event_id) VALUES ($1, $2, $3, $4, $5, $6)`,
        [p.purchaseOrderId, l.lineNumber, p.invoiceId, l.quantity, p.source, p.eventId],
      );
    }
    await db.query(
      `UPDATE purchase_order_lines pl SET invoiced_qty = COALESCE((SELECT sum(q.quantity) FROM invoiced_quantities q
          WHERE q.purchase_order_id = pl.purchase_order_id AND q.line_number = pl.line_number), 0)
        WHERE pl.purchase_order_id = $1`,
      [p.purchaseOrderId],
    );
  }

  async hasContribution(db: Db, invoiceId: string): Promise<boolean> {
    const rows = (await db.query(`SELECT 1 FROM invoiced_quantities WHERE invoice_id = $1 LIMIT 1`, [invoiceId])) as unknown[];
    return rows.length > 0;
  }

  /** Keeps the PO line quantities of a captured invoice for a later OVERRIDE approval. */
  async captureInvoiceLines(db: Db, p: { invoiceId: string; purchaseOrderId: string; eventId: string; lines: readonly InvoiceLineQuantity[] }): Promise<void> {
    await db.query(`DELETE FROM captured_invoice_lines WHERE invoice_id = $1`, [p.invoiceId]);
    for (const l of sumPerLine(p.lines)) {
      await db.query(`INSERT INTO captured_invoice_lines (invoice_id, purchase_order_id, line_number, quantity, event_id) VALUES ($1, $2, $3, $4, $5)`, [
        p.invoiceId, p.purchaseOrderId, l.lineNumber, l.quantity, p.eventId,
      ]);
    }
  }

  async capturedInvoiceLines(db: Db, invoiceId: string): Promise<{ purchaseOrderId: string; lines: InvoiceLineQuantity[] } | undefined> {
    const rows = (await db.query(`SELECT purchase_order_id, line_number, quantity::text AS quantity FROM captured_invoice_lines WHERE invoice_id = $1 ORDER BY line_number`, [
      invoiceId,
    ])) as { purchase_order_id: string; line_number: number; quantity: string }[];
    const first = rows[0];
    return first && { purchaseOrderId: first.purchase_order_id, lines: rows.map((r) => ({ lineNumber: r.line_number, quantity: r.quantity })) };
  }
}

/** Several invoice lines may bill one PO line; sums are exact (scale-4 decimal strings). */
function sumPerLine(lines: readonly InvoiceLineQuantity[]): InvoiceLineQuantity[] {
  const sums = new Map<number, Decimal>();
  for (const l of lines) sums.set(l.lineNumber, (sums.get(l.lineNumber) ?? Decimal.ZERO).add(decimal(l.quantity)));
  return [...sums.entries()].map(([lineNumber, v]) => ({ lineNumber, quantity: v.toFixed(QUANTITY_SCALE) }));
}
