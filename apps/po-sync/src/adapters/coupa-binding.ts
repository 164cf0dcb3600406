import { nameBasedIds, type LegalEntityLookup, type MappingContext } from '@finmesh/adapters';

/**
 * How Coupa business keys become finmesh ids: name-based on the PO number and the ERP supplier
 * number (the same key supplier-sync uses), so an id never needs a lookup table. A receipt for a
 * PO finmesh has never seen therefore still maps; po-sync then parks it (it is not a bad payload,
 * just an early or misdirected one).
 */
export function coupaMappingContext(legalEntities: LegalEntityLookup): MappingContext {
  return { ids: nameBasedIds, legalEntities };
}

/** PO number of a receipt batch (the adapter has validated it; all transactions name the same one). */
export function receiptPoNumber(transactions: unknown): string {
  const first: unknown = Array.isArray(transactions) ? transactions[0] : undefined;
  const orderLine = isObject(first) ? first['order-line'] : undefined;
  const po = isObject(orderLine) ? orderLine['order-header-number'] : undefined;
  return typeof po === 'string' ? po : String(po ?? '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
