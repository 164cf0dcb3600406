import type {
  CostCenterRef,
  DocumentTotals,
  LegalEntityRef,
  MatchType,
  PaymentTerms,
  PurchaseOrderCloseReason,
  PurchaseOrderLine,
} from '@finmesh/contracts';
import type { EntityManager } from 'typeorm';
import { purchaseOrderLockKey } from '../database/advisory-locks';

type Db = Pick<EntityManager, 'query'>;

export interface OrderHeader {
  readonly purchaseOrderId: string;
  readonly poNumber: string;
  readonly supplierId: string;
  readonly legalEntity: LegalEntityRef;
  readonly currency: string;
  readonly status: 'OPEN' | 'CLOSED';
  readonly revision: number;
  readonly orderDate: string;
  readonly buyer: string | null;
  readonly paymentTerms: PaymentTerms | null;
  readonly shipTo: unknown;
  readonly totals: DocumentTotals;
  readonly contentHash: string;
  readonly close: { reason: PurchaseOrderCloseReason; comment: string | null; closedBy: string | null; closedAt: string } | null;
  readonly updatedAt: string;
  readonly lastEventId: string | null;
}

export interface OrderLineView {
  readonly lineNumber: number;
  readonly itemCode: string | null;
  readonly description: string;
  readonly unitOfMeasure: string;
  readonly unitPrice: string;
  readonly amount: string;
  readonly matchType: MatchType;
  readonly costCenter: CostCenterRef;
  readonly glAccount: string | null;
  readonly taxCode: string | null;
  readonly needByDate: string | null;
  readonly orderedQty: string;
  readonly receivedQty: string;
  readonly invoicedQty: string;
  /** More received than ordered (accepted and flagged; see receipts/receipt-checks.ts). */
  readonly overReceived: boolean;
  readonly cancelled: boolean;
}

export interface PurchaseOrderView extends OrderHeader {
  readonly lines: readonly OrderLineView[];
}

interface HeaderRow {
  purchase_order_id: string; po_number: string; supplier_id: string; legal_entity: LegalEntityRef; currency: string; status: 'OPEN' | 'CLOSED';
  revision: number; order_date: string; buyer: string | null; payment_terms: PaymentTerms | null; ship_to: unknown; totals: DocumentTotals;
  content_hash: string; close_reason: PurchaseOrderCloseReason | null; close_comment: string | null; closed_by: string | null;
  closed_at: Date | null; updated_at: Date; last_event_id: string | null;
}

interface LineRow {
  line_number: number; item_code: string | null; description: string; unit_of_measure: string; unit_price: string; amount: string;
  match_type: MatchType; cost_center: CostCenterRef; gl_account: string | null; tax_code: string | null; need_by_date: string | null;
  ordered_qty: string; received_qty: string; invoiced_qty: string; over_received: boolean; cancelled: boolean;
}

/** SQL for orders and lines. received_qty/invoiced_qty are written only by receipts and invoice events. */
export class PurchaseOrderStore {
  /** Serialises writers of one order (revisions, closes, receipts), including its first insert. */
  async lock(tx: Db, purchaseOrderId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [purchaseOrderLockKey(purchaseOrderId)]);
  }

  async header(db: Db, purchaseOrderId: string): Promise<OrderHeader | undefined> {
    const rows = (await db.query(`SELECT *, to_char(order_date, 'YYYY-MM-DD') AS order_date FROM purchase_orders WHERE purchase_order_id = $1`, [purchaseOrderId])) as HeaderRow[];
    const r = rows[0];
    if (!r) return undefined;
    return {
      purchaseOrderId: r.purchase_order_id, poNumber: r.po_number, supplierId: r.supplier_id, legalEntity: r.legal_entity, currency: r.currency,
      status: r.status, revision: r.revision, orderDate: r.order_date, buyer: r.buyer, paymentTerms: r.payment_terms, shipTo: r.ship_to,
      totals: r.totals, contentHash: r.content_hash,
      close: r.close_reason === null ? null : { reason: r.close_reason, comment: r.close_comment, closedBy: r.closed_by, closedAt: (r.closed_at ?? new Date(0)).toISOString() },
      updatedAt: r.updated_at.toISOString(), lastEventId: r.last_event_id,
    };
  }

  async lines(db: Db, purchaseOrderId: string): Promise<OrderLineView[]> {
    const rows = (await db.query(
      `SELECT line_number, item_code, description, unit_of_measure, unit_price::text, amount::text, match_type, cost_center, gl_account,
              tax_code, to_char(need_by_date, 'YYYY-MM-DD') AS need_by_date, ordered_qty::text, received_qty::text, invoiced_qty::text,
              received_qty > ordered_qty AS over_received, cancelled
         FROM purchase_order_lines WHERE purchase_order_id = $1 ORDER BY line_number`,
      [purchaseOrderId],
    )) as LineRow[];
    return rows.map((r) => ({
      lineNumber: r.line_number, itemCode: r.item_code, description: r.description, unitOfMeasure: r.unit_of_measure, unitPrice: r.unit_price,
      amount: r.amount, matchType: r.match_type, costCenter: r.cost_center, glAccount: r.gl_account, taxCode: r.tax_code, needByDate: r.need_by_date,
      orderedQty: r.ordered_qty, receivedQty: r.received_qty, invoicedQty: r.invoiced_qty, overReceived: r.over_received, cancelled: r.cancelled,
    }));
  }

  async view(db: Db, purchaseOrderId: string): Promise<PurchaseOrderView | undefined> {
    const header = await this.header(db, purchaseOrderId);
    return header && { ...header, lines: await this.lines(db, purchaseOrderId) };
  }

  async insertHeader(
    tx: Db,
    h: { purchaseOrderId: string; poNumber: string; supplierId: string; legalEntity: LegalEntityRef; currency: string; revision: number; orderDate: string;
      buyer: string | null; paymentTerms: PaymentTerms | null; shipTo: unknown; totals: DocumentTotals; contentHash: string; sourceUpdatedAt: Date; eventId: string;
      supplier: { number: string | null; name: string | null } },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO purchase_orders (purchase_order_id, po_number, supplier_id, legal_entity, currency, status, revision, order_date, buyer,
         payment_terms, ship_to, totals, content_hash, source_updated_at, last_event_id, supplier_number, supplier_name)
       VALUES ($1, $2, $3, $4, $5, 'OPEN', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [h.purchaseOrderId, h.poNumber, h.supplierId, JSON.stringify(h.legalEntity), h.currency, h.revision, h.orderDate, h.buyer,
        json(h.paymentTerms), json(h.shipTo), JSON.stringify(h.totals), h.contentHash, h.sourceUpdatedAt, h.eventId, h.supplier.number, h.supplier.name],
    );
  }

  /** The supplier as procurement named it at issue (its number is the ERP supplier number); undefined for an unknown order. */
  async supplierOf(db: Db, purchaseOrderId: string): Promise<{ number: string | null; name: string | null } | undefined> {
    const rows = (await db.query(`SELECT supplier_number, supplier_name FROM purchase_orders WHERE purchase_order_id = $1`, [purchaseOrderId])) as {
      supplier_number: string | null; supplier_name: string | null;
    }[];
    const r = rows[0];
    return r && { number: r.supplier_number, name: r.supplier_name };
  }

  async updateRevision(
    tx: Db,
    h: { purchaseOrderId: string; revision: number; paymentTerms: PaymentTerms | null; shipTo: unknown; totals: DocumentTotals; contentHash: string; sourceUpdatedAt: Date; eventId: string },
  ): Promise<void> {
    await tx.query(
      `UPDATE purchase_orders SET revision = $2, payment_terms = $3, ship_to = $4, totals = $5, content_hash = $6, source_updated_at = $7,
         last_event_id = $8, updated_at = now() WHERE purchase_order_id = $1`,
      [h.purchaseOrderId, h.revision, json(h.paymentTerms), json(h.shipTo), JSON.stringify(h.totals), h.contentHash, h.sourceUpdatedAt, h.eventId],
    );
  }

  /**
   * Writes the complete line set of a revision. Ordered fields are replaced; received and invoiced
   * quantities are never touched here, so a change cannot lose them. Lines absent from the
   * revision are marked cancelled, not deleted: receipts and invoices may refer to them.
   */
  async writeLines(tx: Db, purchaseOrderId: string, lines: readonly PurchaseOrderLine[]): Promise<void> {
    for (const l of lines) {
      await tx.query(
        `INSERT INTO purchase_order_lines (purchase_order_id, line_number, item_code, description, ordered_qty, unit_of_measure, unit_price,
           amount, tax_code, cost_center, gl_account, match_type, need_by_date, cancelled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, false)
         ON CONFLICT (purchase_order_id, line_number) DO UPDATE SET item_code = EXCLUDED.item_code, description = EXCLUDED.description,
           ordered_qty = EXCLUDED.ordered_qty, unit_of_measure = EXCLUDED.unit_of_measure, unit_price = EXCLUDED.unit_price,
           amount = EXCLUDED.amount, tax_code = EXCLUDED.tax_code, cost_center = EXCLUDED.cost_center, gl_account = EXCLUDED.gl_account,
           match_type = EXCLUDED.match_type, need_by_date = EXCLUDED.need_by_date, cancelled = false`,
        [purchaseOrderId, l.lineNumber, l.itemCode, l.description, l.quantity, l.unitOfMeasure, l.unitPrice.amount, l.amount.amount, l.taxCode,
          JSON.stringify(l.costCenter), l.glAccount, l.matchType, l.needByDate],
      );
    }
    await tx.query(`UPDATE purchase_order_lines SET cancelled = true WHERE purchase_order_id = $1 AND NOT (line_number = ANY($2::int[]))`, [
      purchaseOrderId,
      lines.map((l) => l.lineNumber),
    ]);
  }

  async close(tx: Db, purchaseOrderId: string, c: { reason: PurchaseOrderCloseReason; comment: string | null; closedBy: string | null; eventId: string }): Promise<void> {
    await tx.query(
      `UPDATE purchase_orders SET status = 'CLOSED', close_reason = $2, close_comment = $3, closed_by = $4, closed_at = now(), last_event_id = $5,
         updated_at = now() WHERE purchase_order_id = $1`,
      [purchaseOrderId, c.reason, c.comment, c.closedBy, c.eventId],
    );
  }
}

function json(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}
