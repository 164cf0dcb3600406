import { decimal, QUANTITY_SCALE, type GoodsReceiptLine } from '@finmesh/contracts';

export interface OrderLineState {
  readonly lineNumber: number;
  readonly orderedQty: string;
  readonly receivedQty: string;
  readonly unitOfMeasure: string;
  readonly cancelled: boolean;
}

export interface OrderState {
  readonly poNumber: string;
  readonly status: 'OPEN' | 'CLOSED';
  readonly lines: readonly OrderLineState[];
}

export interface AcceptedReceiptLine {
  readonly lineNumber: number;
  readonly quantity: string;
  /** Received quantity of the PO line after this receipt. */
  readonly receivedAfter: string;
  readonly orderedQty: string;
  /** More received than ordered after this receipt. */
  readonly overReceipt: boolean;
}

export type ReceiptCheck =
  | { readonly kind: 'accept'; readonly lines: readonly AcceptedReceiptLine[] }
  | { readonly kind: 'park'; readonly reason: string };

/**
 * Can a receipt be recorded against the order as finmesh knows it? Refused receipts are parked for
 * ops (never dropped) with every reason at once.
 *
 * Over-receipt (more received than ordered) is ACCEPTED, recorded and flagged: the goods are on
 * the dock whatever the PO says, the receipt must reflect reality, and invoice matching decides
 * what is paid (QTY_VARIANCE for THREE_WAY lines). Refusing would hide physical stock from AP.
 * A return (negative quantity) that would take a line below zero received is parked: it
 * contradicts what finmesh recorded, which needs a person to look at it.
 */
export function checkReceipt(order: OrderState | undefined, poNumber: string, lines: readonly GoodsReceiptLine[]): ReceiptCheck {
  if (!order) return { kind: 'park', reason: `purchase order ${poNumber} is not known to finmesh (not issued yet, or issued under another number)` };
  if (order.status === 'CLOSED') return { kind: 'park', reason: `purchase order ${poNumber} is CLOSED; no further receipts are expected against it` };
  const reasons: string[] = [];
  const accepted: AcceptedReceiptLine[] = [];
  for (const line of lines) {
    const poLine = order.lines.find((l) => l.lineNumber === line.poLineNumber);
    if (!poLine) {
      reasons.push(`${poNumber} has no line ${line.poLineNumber}`);
      continue;
    }
    if (poLine.cancelled) reasons.push(`line ${line.poLineNumber} of ${poNumber} was cancelled in a later revision`);
    if (line.unitOfMeasure !== poLine.unitOfMeasure) {
      reasons.push(`line ${line.poLineNumber} is received in ${line.unitOfMeasure} but ordered in ${poLine.unitOfMeasure}; finmesh does not convert units`);
    }
    const after = decimal(poLine.receivedQty).add(decimal(line.quantityReceived));
    if (after.isNegative()) {
      reasons.push(`line ${line.poLineNumber}: returning ${line.quantityReceived.replace('-', '')} exceeds the ${poLine.receivedQty} received`);
    }
    accepted.push({
      lineNumber: line.poLineNumber,
      quantity: line.quantityReceived,
      receivedAfter: after.toFixed(QUANTITY_SCALE),
      orderedQty: poLine.orderedQty,
      overReceipt: after.compareTo(decimal(poLine.orderedQty)) > 0,
    });
  }
  return reasons.length > 0 ? { kind: 'park', reason: reasons.join('; ') } : { kind: 'accept', lines: accepted };
}
