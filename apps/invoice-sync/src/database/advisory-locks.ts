import { advisoryLockKey } from '@finmesh/persistence';

/**
 * invoice-sync's advisory locks. Namespace: the service name, so no other service's lock can
 * share a key with these in the shared database (see advisoryLockKey).
 */
const LOCK_NAMESPACE = 'invoice-sync';

/** Serialises invoice decisions per supplier, so concurrent invoices of one supplier see each other as duplicates. */
export function supplierDecisionLockKey(supplierId: string): string {
  return advisoryLockKey(LOCK_NAMESPACE, `supplier:${supplierId}`);
}
