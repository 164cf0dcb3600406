/** What po-sync holds of an order, as far as accepting a new revision is concerned. */
export interface StoredOrderState {
  readonly status: 'OPEN' | 'CLOSED';
  readonly revision: number;
  readonly contentHash: string;
  readonly supplierId: string;
  readonly currency: string;
}

export interface IncomingOrder {
  readonly poNumber: string;
  readonly revision: number;
  readonly contentHash: string;
  readonly supplierId: string;
  readonly currency: string;
}

export type RevisionDecision =
  | { readonly kind: 'issue' }
  | { readonly kind: 'change' }
  /** A re-send of the revision finmesh already has: answer with it, publish nothing. */
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'refuse'; readonly reason: string };

/**
 * Issue, change, ignore or refuse an order from procurement:
 *  - unknown order -> PurchaseOrderIssued (whatever its revision: finmesh starts from what it gets);
 *  - the stored revision again with the same content -> nothing (platform retry);
 *  - anything for a CLOSED order -> refused: receipts and invoices are no longer expected against it,
 *    re-opening is a decision for procurement, not a side effect of a late change;
 *  - an older revision, or the same revision with other content -> refused (out of order / conflicting);
 *  - another supplier or currency -> refused: PurchaseOrderChanged carries neither, so consumers could
 *    not follow; such an order must be cancelled and re-issued;
 *  - otherwise -> PurchaseOrderChanged.
 */
export function decideRevision(stored: StoredOrderState | undefined, incoming: IncomingOrder): RevisionDecision {
  if (!stored) return { kind: 'issue' };
  const po = incoming.poNumber;
  if (incoming.revision === stored.revision && incoming.contentHash === stored.contentHash) return { kind: 'unchanged' };
  if (stored.status === 'CLOSED') return { kind: 'refuse', reason: `purchase order ${po} is CLOSED; a closed order cannot be changed (revision ${incoming.revision} refused)` };
  if (incoming.revision < stored.revision) {
    return { kind: 'refuse', reason: `revision ${incoming.revision} of ${po} is older than the recorded revision ${stored.revision}` };
  }
  if (incoming.revision === stored.revision) {
    return { kind: 'refuse', reason: `revision ${incoming.revision} of ${po} is already recorded with different content; a change needs a new revision` };
  }
  if (incoming.supplierId !== stored.supplierId) {
    return { kind: 'refuse', reason: `${po} cannot change supplier (${stored.supplierId} -> ${incoming.supplierId}); cancel it and issue a new order` };
  }
  if (incoming.currency !== stored.currency) {
    return { kind: 'refuse', reason: `${po} cannot change currency (${stored.currency} -> ${incoming.currency}); cancel it and issue a new order` };
  }
  return { kind: 'change' };
}
