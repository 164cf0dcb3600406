import { advisoryLockKey } from '@finmesh/persistence';

/**
 * supplier-sync's advisory locks. Namespace: the service name, so no other service's lock can
 * share a key with these in the shared database (see advisoryLockKey).
 */
const LOCK_NAMESPACE = 'supplier-sync';

/** Serialises the writers of one supplier (HTTP upserts, holds), including its very first insert. */
export function supplierLockKey(supplierId: string): string {
  return advisoryLockKey(LOCK_NAMESPACE, `supplier:${supplierId}`);
}
