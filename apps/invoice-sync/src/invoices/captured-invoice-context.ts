import type { EntityManager } from 'typeorm';
import { coupaInvoiceKeys, nameBasedId, type BusinessKey, type MappingContext } from '@finmesh/adapters';
import { purchaseOrderReplica } from '../replicas/purchase-order-replica';
import { invoiceStore } from './invoice-store';
import { supplierReplica } from '../replicas/supplier-replica';

/**
 * The adapters' mapping context for a captured invoice (a Coupa invoice). The adapters'
 * resolvers are synchronous, so the keys the payload carries are read up front and looked up in
 * the replicas first:
 *  - supplier: Coupa keys vendors by ERP supplier number (`supplier.number`) -> the replica's
 *    externalIds.ERP; a supplier not replicated yet gets the name-based id every finmesh adapter
 *    derives from that number, and validation holds the invoice until the supplier arrives;
 *  - purchase order: the lines' PO number, by number in the replica, else the name-based id
 *    (PO_NOT_FOUND later);
 *  - invoice: name-based on the Coupa invoice id, so the same invoice sent twice is the same
 *    finmesh invoice (stored once, whatever the Idempotency-Key);
 *  - legal entity: the invoice's chart of accounts (`account-type.name`), named after the legal
 *    entity code as in the legal-entity directory's default; it must be a code invoice-sync has
 *    seen on a purchase order or an earlier invoice (there is no legal-entity master event yet);
 *    unknown -> 422.
 */
export async function capturedInvoiceContext(db: EntityManager, payload: unknown): Promise<MappingContext> {
  const { supplierNumber: supplierKey, poNumber, chartOfAccounts } = coupaInvoiceKeys(payload);

  const supplierId = supplierKey === undefined ? undefined : await supplierReplica.findIdByExternalId(db, 'ERP', supplierKey);
  const purchaseOrderId = poNumber === undefined ? undefined : await purchaseOrderReplica.findIdByNumber(db, poNumber);
  const legalEntity = chartOfAccounts === undefined ? undefined : await invoiceStore.knownLegalEntity(db, chartOfAccounts);

  return {
    ids: (key: BusinessKey) => {
      if (key.kind === 'supplier' && key.key === supplierKey && supplierId !== undefined) return supplierId;
      if (key.kind === 'purchase-order' && key.key === poNumber && purchaseOrderId !== undefined) return purchaseOrderId;
      return nameBasedId(key.kind, key.key);
    },
    legalEntities: (hint) => (hint.kind === 'chart-of-accounts' && hint.value === chartOfAccounts ? legalEntity : undefined),
  };
}
