import type { EntityManager } from 'typeorm';
import { nameBasedId, type BusinessKey, type MappingContext } from '@finmesh/adapters';
import { purchaseOrderReplica } from '../replicas/purchase-order-replica';
import { invoiceStore } from './invoice-store';
import { supplierReplica } from '../replicas/supplier-replica';

/**
 * The adapters' mapping context for a captured invoice. The adapters' resolvers are synchronous,
 * so the keys the payload carries are read up front and looked up in the replicas first:
 *  - supplier: capture platforms key vendors by ERP supplier number -> the replica's
 *    externalIds.ERP; a supplier not replicated yet gets the name-based id every finmesh adapter
 *    derives from that number, and validation holds the invoice until the supplier arrives;
 *  - purchase order: by PO number in the replica, else the name-based id (PO_NOT_FOUND later);
 *  - invoice: name-based on the capture document id, so the same document captured twice is the
 *    same finmesh invoice (stored once, whatever the Idempotency-Key);
 *  - legal entity: the company code must be one invoice-sync has seen on a purchase order or an
 *    earlier invoice (there is no legal-entity master event yet); unknown -> 422.
 */
export async function capturedInvoiceContext(db: EntityManager, payload: unknown): Promise<MappingContext> {
  const supplierKey = text(payload, ['header', 'supplier', 'id']);
  const poNumber = text(payload, ['header', 'purchaseOrderNumber']);
  const companyCode = text(payload, ['header', 'buyer', 'companyCode']);

  const supplierId = supplierKey === undefined ? undefined : await supplierReplica.findIdByExternalId(db, 'ERP', supplierKey);
  const purchaseOrderId = poNumber === undefined ? undefined : await purchaseOrderReplica.findIdByNumber(db, poNumber);
  const legalEntity = companyCode === undefined ? undefined : await invoiceStore.knownLegalEntity(db, companyCode);

  return {
    ids: (key: BusinessKey) => {
      if (key.kind === 'supplier' && key.key === supplierKey && supplierId !== undefined) return supplierId;
      if (key.kind === 'purchase-order' && key.key === poNumber && purchaseOrderId !== undefined) return purchaseOrderId;
      return nameBasedId(key.kind, key.key);
    },
    legalEntities: (hint) => (hint.kind === 'company-code' && hint.value === companyCode ? legalEntity : undefined),
  };
}

function text(payload: unknown, path: readonly string[]): string | undefined {
  let v: unknown = payload;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}
