import {
  isoTimestamp,
  type GoodsReceiptRecorded,
  type PurchaseOrderChanged,
  type PurchaseOrderClosed,
  type PurchaseOrderIssued,
} from '@finmesh/contracts';
import { inSequence, type MaybePromise, type ProjectedEvent, type RowStore } from '@finmesh/projection';
import { mergeInto } from './fact-rows';
import { higherRevisionWins, lastWriterWins } from './merge-rules';
import { GOODS_RECEIPT_LINES, PURCHASE_ORDER_LINES, PURCHASE_ORDERS } from './reporting-tables';

type Revision = PurchaseOrderIssued | PurchaseOrderChanged;

/**
 * A PO revision replaces the order's lines and totals. Lines carry the revision that wrote them;
 * the reports only count lines of the order's current revision, so a line dropped by a later
 * revision stops counting whatever order the revisions arrive in.
 */
function projectRevision(store: RowStore, e: ProjectedEvent<Revision>): MaybePromise<void> {
  const v = e.value;
  return inSequence([
    () =>
      mergeInto(store, PURCHASE_ORDERS, { purchase_order_id: v.purchaseOrderId }, e, (row) =>
        higherRevisionWins(row, 'revision', 'revision_version', v.revision, e, {
          po_number: v.poNumber,
          net_days: v.paymentTerms?.netDays ?? null,
          total_net: v.totals.net.amount,
          total_gross: v.totals.gross.amount,
        }),
      ),
    ...v.lines.map(
      (line) => () =>
        mergeInto(store, PURCHASE_ORDER_LINES, { purchase_order_id: v.purchaseOrderId, line_number: line.lineNumber }, e, (row) =>
          higherRevisionWins(row, 'revision', 'revision_version', v.revision, e, {
            description: line.description,
            quantity: line.quantity,
            unit_price: line.unitPrice.amount,
            amount: line.amount.amount,
            currency: line.amount.currency,
            cost_center: line.costCenter.code,
            gl_account: line.glAccount,
            match_type: line.matchType,
          }),
        ),
    ),
  ]);
}

export function projectPurchaseOrderIssued(store: RowStore, e: ProjectedEvent<PurchaseOrderIssued>): MaybePromise<void> {
  const v = e.value;
  return inSequence([
    () =>
      mergeInto(store, PURCHASE_ORDERS, { purchase_order_id: v.purchaseOrderId }, e, (row) =>
        lastWriterWins(row, 'issued_version', e, {
          supplier_id: v.supplierId,
          legal_entity: v.envelope.legalEntity.code,
          currency: v.currency,
          order_date: v.orderDate,
        }),
      ),
    () => projectRevision(store, e),
  ]);
}

export function projectPurchaseOrderChanged(store: RowStore, e: ProjectedEvent<PurchaseOrderChanged>): MaybePromise<void> {
  return projectRevision(store, e);
}

export function projectPurchaseOrderClosed(store: RowStore, e: ProjectedEvent<PurchaseOrderClosed>): MaybePromise<void> {
  const v = e.value;
  return mergeInto(store, PURCHASE_ORDERS, { purchase_order_id: v.purchaseOrderId }, e, (row) =>
    lastWriterWins(row, 'close_version', e, { closed_at: e.occurredAt, close_reason: v.reason }),
  );
}

export function projectGoodsReceiptRecorded(store: RowStore, e: ProjectedEvent<GoodsReceiptRecorded>): MaybePromise<void> {
  const v = e.value;
  const receivedAt = isoTimestamp(v.receivedAt); // one string for all of the receipt's lines
  return inSequence(
    v.lines.map(
      (line) => () =>
        mergeInto(store, GOODS_RECEIPT_LINES, { receipt_id: v.receiptId, po_line_number: line.poLineNumber }, e, (row) =>
          lastWriterWins(row, 'version', e, {
            purchase_order_id: v.purchaseOrderId,
            supplier_id: v.supplierId,
            legal_entity: v.envelope.legalEntity.code,
            quantity_received: line.quantityReceived,
            unit_of_measure: line.unitOfMeasure,
            received_at: receivedAt,
          }),
        ),
    ),
  );
}
