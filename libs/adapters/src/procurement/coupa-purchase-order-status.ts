/**
 * Coupa purchase order header statuses and line match types, and what finmesh makes of them.
 *
 * Sources (compass.coupa.com, The Coupa Core API > Resources > Transactional Resources):
 *  - "Purchase Orders API (/purchase_orders)", element `status` ("PO Status", string(50)),
 *    allowable values: buyer_hold, cancelled, closed, currency_hold, draft, error, expensed,
 *    issued, supplier_hold, supplier_window_hold, exported (confirmed).
 *  - Orchestration document "PO's and PO Changes Integration into your ERP" filters with
 *    `status[in]=issued,canceled,closed` and `...,soft_closed`: it spells `canceled` with one l and
 *    names a header `soft_closed` the elements table does not list. Both spellings are accepted.
 *  - "Purchase Order Lines API": the LINE has its own `status` ("transaction status", string(50))
 *    and the actions soft_close_for_receiving / soft_close_for_invoicing; the soft-closed states
 *    (`soft_closed_for_receiving`, `soft_closed_for_invoicing`) and states like
 *    `currently_with_supplier` belong there, not to the header, and are not header statuses here.
 *    Line `match-type`: allowable values 3-way-fifo, 3-way, 2-way, direct_matching, none
 *    (confirmed spelling).
 *
 * Decided here:
 *  - OPEN (the order is committed; PurchaseOrderIssued / PurchaseOrderChanged): issued and the
 *    holds of an approved order that Coupa has not transmitted yet (buyer_hold, supplier_hold,
 *    currency_hold, supplier_window_hold), expensed (an order settled through expenses, still an
 *    order receipts and invoices may refer to), exported (listed by Coupa; read as an issued order
 *    that was exported), and soft_closed (can be reopened, so not final).
 *  - CLOSED (PurchaseOrderClosed): cancelled / canceled -> CANCELLED; closed -> COMPLETED when every
 *    line is fully invoiced (`invoiced` >= `quantity`, or >= `total` for amount lines), SHORT_CLOSED
 *    when a line is short, OTHER when the lines do not carry the figures.
 *  - NOT_ISSUED (refused): draft (not approved), error (Coupa could not issue it).
 *  - Match type -> the contract's MatchType (TWO_WAY, THREE_WAY; the enum has no "none" and no
 *    reader default): 3-way, 3-way-fifo and direct_matching (invoice line matched directly to a
 *    receipt) are THREE_WAY; 2-way is TWO_WAY; none is TWO_WAY too: finmesh always checks an invoice
 *    against its PO line (price and quantity ordered), a stricter reading than Coupa's "no
 *    matching". A line without `match-type` falls back to `receipt-required` (true = THREE_WAY).
 */
import type { MatchType, PurchaseOrderCloseReason } from '@finmesh/contracts';

export const COUPA_OPEN_ORDER_STATUSES = ['issued', 'buyer_hold', 'supplier_hold', 'currency_hold', 'supplier_window_hold', 'expensed', 'exported', 'soft_closed'] as const;
export const COUPA_CLOSED_ORDER_STATUSES = ['cancelled', 'canceled', 'closed'] as const;
export const COUPA_NOT_ISSUED_ORDER_STATUSES = ['draft', 'error'] as const;

export type CoupaOrderPhase = 'OPEN' | 'CLOSED' | 'NOT_ISSUED';

/** Phase of a header status; undefined for a status Coupa does not document. */
export function coupaOrderPhase(status: string): CoupaOrderPhase | undefined {
  if ((COUPA_OPEN_ORDER_STATUSES as readonly string[]).includes(status)) return 'OPEN';
  if ((COUPA_CLOSED_ORDER_STATUSES as readonly string[]).includes(status)) return 'CLOSED';
  if ((COUPA_NOT_ISSUED_ORDER_STATUSES as readonly string[]).includes(status)) return 'NOT_ISSUED';
  return undefined;
}

/** Close reason of a closing status, given whether the lines show the order fully invoiced (undefined = unknown). */
export function coupaCloseReason(status: string, fullyInvoiced: boolean | undefined): PurchaseOrderCloseReason | undefined {
  if (status === 'cancelled' || status === 'canceled') return 'CANCELLED';
  if (status !== 'closed') return undefined;
  if (fullyInvoiced === undefined) return 'OTHER';
  return fullyInvoiced ? 'COMPLETED' : 'SHORT_CLOSED';
}

export const COUPA_MATCH_TYPES = ['3-way-fifo', '3-way', '2-way', 'direct_matching', 'none'] as const;
export type CoupaMatchType = (typeof COUPA_MATCH_TYPES)[number];

const MATCH_TYPES: Readonly<Record<CoupaMatchType, MatchType>> = {
  '3-way-fifo': 'THREE_WAY',
  '3-way': 'THREE_WAY',
  direct_matching: 'THREE_WAY',
  '2-way': 'TWO_WAY',
  none: 'TWO_WAY',
};

/** Contract MatchType of a line's Coupa match-type (see the header). */
export function coupaMatchType(matchType: CoupaMatchType): MatchType {
  return MATCH_TYPES[matchType];
}
