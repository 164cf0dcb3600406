import type { EntityManager } from 'typeorm';
import { supersedes, type CostCenterRef, type GoodsReceiptLine, type LegalEntityRef, type MatchType, type PurchaseOrderLine } from '@finmesh/contracts';

export interface PurchaseOrderLineState {
  readonly lineNumber: number;
  readonly quantity: string;
  readonly unitOfMeasure: string;
  readonly unitPrice: string;
  readonly amount: string;
  readonly taxCode: string | null;
  readonly matchType: MatchType;
  readonly cancelled: boolean;
  /**
   * The line's accounting as ordered (PurchaseOrderLine.costCenter / glAccount). An invoice line
   * posted with its own distribution (the ERP does not hold the PO) and without accounting of its
   * own takes these. Null for lines replicated before migration 006.
   */
  readonly costCenter: CostCenterRef | null;
  readonly glAccount: string | null;
}

export interface PurchaseOrderState {
  readonly purchaseOrderId: string;
  readonly poNumber: string;
  readonly supplierId: string;
  readonly currency: string;
  readonly revision: number;
  readonly status: 'OPEN' | 'CLOSED';
  readonly legalEntity: LegalEntityRef;
  readonly lines: readonly PurchaseOrderLineState[];
}

interface PoRow {
  purchase_order_id: string;
  po_number: string;
  supplier_id: string;
  currency: string;
  revision: number;
  status: 'OPEN' | 'CLOSED';
  legal_entity: LegalEntityRef;
}

interface LineRow {
  line_number: number;
  quantity: string;
  unit_of_measure: string;
  unit_price: string;
  amount: string;
  tax_code: string | null;
  match_type: MatchType;
  cancelled: boolean;
  cost_center_code: string | null;
  cost_center_name: string | null;
  gl_account: string | null;
}

/** Reads and writes the purchase order replica, always through the caller's transaction. */
export class PurchaseOrderReplicaStore {
  async find(db: EntityManager, purchaseOrderId: string): Promise<PurchaseOrderState | null> {
    const pos = (await db.query(
      'SELECT purchase_order_id, po_number, supplier_id, currency, revision, status, legal_entity FROM purchase_orders WHERE purchase_order_id = $1',
      [purchaseOrderId],
    )) as PoRow[];
    const po = pos[0];
    if (!po) return null;
    const lines = (await db.query(
      `SELECT line_number, quantity::text AS quantity, unit_of_measure, unit_price::text AS unit_price, amount::text AS amount,
              tax_code, match_type, cancelled, cost_center_code, cost_center_name, gl_account
       FROM purchase_order_lines WHERE purchase_order_id = $1 ORDER BY line_number`,
      [purchaseOrderId],
    )) as LineRow[];
    return {
      purchaseOrderId: po.purchase_order_id,
      poNumber: po.po_number,
      supplierId: po.supplier_id,
      currency: po.currency,
      revision: po.revision,
      status: po.status,
      legalEntity: po.legal_entity,
      lines: lines.map((l) => ({
        lineNumber: l.line_number,
        quantity: l.quantity,
        unitOfMeasure: l.unit_of_measure,
        unitPrice: l.unit_price,
        amount: l.amount,
        taxCode: l.tax_code,
        matchType: l.match_type,
        cancelled: l.cancelled,
        costCenter: l.cost_center_code === null ? null : { code: l.cost_center_code, name: l.cost_center_name },
        glAccount: l.gl_account,
      })),
    };
  }

  async findIdByNumber(db: EntityManager, poNumber: string): Promise<string | undefined> {
    const rows = (await db.query('SELECT purchase_order_id FROM purchase_orders WHERE po_number = $1 LIMIT 1', [poNumber])) as {
      purchase_order_id: string;
    }[];
    return rows[0]?.purchase_order_id;
  }

  /**
   * Issued or changed: the event carries the complete line set. By the contracts' one revision
   * rule (`supersedes`), an order that does not supersede the version held (an older revision, or
   * the same revision from an earlier event) is ignored (returns false), exactly as reporting
   * resolves it; lines missing from the new set are marked cancelled, not deleted,
   * because receipts and earlier invoices still refer to them.
   */
  async apply(
    db: EntityManager,
    po: {
      purchaseOrderId: string;
      poNumber: string;
      revision: number;
      /** eventVersion() of the event that carries it. */
      version: string;
      supplierId?: string;
      currency?: string;
      legalEntity: LegalEntityRef;
      lines: readonly PurchaseOrderLine[];
    },
  ): Promise<boolean> {
    const existing = (await db.query('SELECT revision, revision_version FROM purchase_orders WHERE purchase_order_id = $1 FOR UPDATE', [po.purchaseOrderId])) as {
      revision: number;
      revision_version: string | null;
    }[];
    const held = existing[0];
    if (held && !supersedes({ revision: po.revision, version: po.version }, { revision: held.revision, version: held.revision_version })) return false;
    if (held) {
      await db.query(
        `UPDATE purchase_orders SET po_number = $2, revision = $3, supplier_id = COALESCE($4, supplier_id), currency = COALESCE($5, currency),
                legal_entity = $6, revision_version = $7, updated_at = now() WHERE purchase_order_id = $1`,
        [po.purchaseOrderId, po.poNumber, po.revision, po.supplierId ?? null, po.currency ?? null, JSON.stringify(po.legalEntity), po.version],
      );
    } else {
      if (po.supplierId === undefined || po.currency === undefined) {
        // A change for an order never issued here cannot be matched against: no supplier/currency.
        return false;
      }
      await db.query(
        `INSERT INTO purchase_orders (purchase_order_id, po_number, supplier_id, currency, revision, legal_entity, revision_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [po.purchaseOrderId, po.poNumber, po.supplierId, po.currency, po.revision, JSON.stringify(po.legalEntity), po.version],
      );
    }
    await db.query('UPDATE purchase_order_lines SET cancelled = true WHERE purchase_order_id = $1', [po.purchaseOrderId]);
    for (const l of po.lines) {
      await db.query(
        `INSERT INTO purchase_order_lines (purchase_order_id, line_number, quantity, unit_of_measure, unit_price, amount, tax_code, match_type, cancelled,
           cost_center_code, cost_center_name, gl_account)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, false, $9, $10, $11)
         ON CONFLICT (purchase_order_id, line_number) DO UPDATE SET quantity = EXCLUDED.quantity, unit_of_measure = EXCLUDED.unit_of_measure,
           unit_price = EXCLUDED.unit_price, amount = EXCLUDED.amount, tax_code = EXCLUDED.tax_code, match_type = EXCLUDED.match_type, cancelled = false,
           cost_center_code = EXCLUDED.cost_center_code, cost_center_name = EXCLUDED.cost_center_name, gl_account = EXCLUDED.gl_account`,
        [
          po.purchaseOrderId,
          l.lineNumber,
          l.quantity,
          l.unitOfMeasure,
          l.unitPrice.amount,
          l.amount.amount,
          l.taxCode,
          l.matchType,
          l.costCenter?.code ?? null,
          l.costCenter?.name ?? null,
          l.glAccount,
        ],
      );
    }
    return true;
  }

  async close(db: EntityManager, purchaseOrderId: string, reason: string): Promise<void> {
    await db.query(`UPDATE purchase_orders SET status = 'CLOSED', close_reason = $2, updated_at = now() WHERE purchase_order_id = $1`, [
      purchaseOrderId,
      reason,
    ]);
  }

  /** Records a receipt's lines; a receipt line seen before is not counted again. */
  async recordReceipt(db: EntityManager, purchaseOrderId: string, receiptId: string, receivedAt: Date, lines: readonly GoodsReceiptLine[]): Promise<number> {
    let added = 0;
    for (const l of lines) {
      const rows = (await db.query(
        `INSERT INTO goods_receipt_lines (receipt_id, po_line_number, purchase_order_id, quantity_received, received_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING receipt_id`,
        [receiptId, l.poLineNumber, purchaseOrderId, l.quantityReceived, receivedAt],
      )) as unknown[];
      added += rows.length;
    }
    return added;
  }

  /** Receipt lines of an order (returns negative), for receivedQuantitiesByPoLine. */
  async receiptLines(db: EntityManager, purchaseOrderId: string): Promise<{ poLineNumber: number; quantityReceived: string }[]> {
    const rows = (await db.query(
      'SELECT po_line_number, quantity_received::text AS quantity_received FROM goods_receipt_lines WHERE purchase_order_id = $1',
      [purchaseOrderId],
    )) as { po_line_number: number; quantity_received: string }[];
    return rows.map((r) => ({ poLineNumber: r.po_line_number, quantityReceived: r.quantity_received }));
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const purchaseOrderReplica = new PurchaseOrderReplicaStore();
