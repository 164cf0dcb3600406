import { advisoryLockKey } from '@finmesh/persistence';

/**
 * po-sync's advisory locks. Namespace: the service name, so no other service's lock can share a
 * key with these in the shared database (see advisoryLockKey).
 */
const LOCK_NAMESPACE = 'po-sync';

/** Serialises the writers of one purchase order (revisions, closes, receipts), including its first insert. */
export function purchaseOrderLockKey(purchaseOrderId: string): string {
  return advisoryLockKey(LOCK_NAMESPACE, `purchase-order:${purchaseOrderId}`);
}
