import type { DocumentTotals } from '@finmesh/contracts';
import type { AuditSummary } from '@finmesh/messaging';
import type { AcceptedReceiptLine, OrderLineState } from '../receipts/receipt-checks';

/** The audited view of an order header: status, revision and totals (amounts stay decimal strings). */
export function orderAuditSummary(o: {
  readonly poNumber: string;
  readonly status?: 'OPEN' | 'CLOSED';
  readonly revision: number;
  readonly supplierId: string;
  readonly currency: string;
  readonly totals: DocumentTotals;
}): AuditSummary {
  return { poNumber: o.poNumber, status: o.status ?? 'OPEN', revision: o.revision, supplierId: o.supplierId, currency: o.currency, totals: o.totals };
}

/** Received quantities of the lines a receipt touches, before it. */
export function receivedBeforeSummary(lines: readonly OrderLineState[], touched: readonly AcceptedReceiptLine[]): AuditSummary {
  const numbers = new Set(touched.map((l) => l.lineNumber));
  return { lines: lines.filter((l) => numbers.has(l.lineNumber)).map((l) => ({ lineNumber: l.lineNumber, receivedQty: l.receivedQty, orderedQty: l.orderedQty })) };
}

/** The receipt and the received quantities it leaves. */
export function receivedAfterSummary(receipt: { receiptId: string; receiptNumber: string | null }, touched: readonly AcceptedReceiptLine[]): AuditSummary {
  return {
    receiptId: receipt.receiptId,
    receiptNumber: receipt.receiptNumber,
    lines: touched.map((l) => ({ lineNumber: l.lineNumber, quantity: l.quantity, receivedQty: l.receivedAfter, orderedQty: l.orderedQty, overReceipt: l.overReceipt })),
  };
}
