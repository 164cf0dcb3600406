import { advisoryLockKey } from '@finmesh/persistence';

/**
 * payment-sync's advisory locks. Namespace: the service name, so no other service's lock can
 * share a key with these in the shared database (see advisoryLockKey).
 */
const LOCK_NAMESPACE = 'payment-sync';

/**
 * Lock shared by every payment delivery and taken exclusively by InvoicePosted: a payment parked
 * while an invoice is being posted would otherwise miss it (neither transaction sees the other's
 * uncommitted row) and stay parked for ever.
 */
export const PARKING_LOCK_KEY = advisoryLockKey(LOCK_NAMESPACE, 'parking');

/** One delivery of a given ERP payment at a time. */
export function erpPaymentLockKey(erpPaymentId: string): string {
  return advisoryLockKey(LOCK_NAMESPACE, `erp-payment:${erpPaymentId}`);
}
