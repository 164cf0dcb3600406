import type { ProjectedEvent, RowStore, SupplierBlocked, SupplierUnblocked, SupplierUpserted } from '@finmesh/events';
import { mergeInto } from './fact-rows';
import { higherRevisionWins, lastWriterWins } from './merge-rules';
import { SUPPLIERS } from './reporting-tables';

/** Supplier profile (by revision) and block state (latest block/unblock wins). */
export async function projectSupplierUpserted(store: RowStore, e: ProjectedEvent<SupplierUpserted>): Promise<void> {
  const v = e.value;
  await mergeInto(store, SUPPLIERS, { supplier_id: v.supplierId }, e, (row) =>
    higherRevisionWins(row, 'revision', 'profile_version', v.revision, e, {
      legal_name: v.legalName,
      status: v.status,
      payment_terms_code: v.paymentTerms.code,
      net_days: v.paymentTerms.netDays,
      default_currency: v.defaultCurrency,
    }),
  );
}

export async function projectSupplierBlocked(store: RowStore, e: ProjectedEvent<SupplierBlocked>): Promise<void> {
  const v = e.value;
  await mergeInto(store, SUPPLIERS, { supplier_id: v.supplierId }, e, (row) =>
    lastWriterWins(row, 'block_version', e, { blocked: true, block_scope: v.scope, block_reason_code: v.reasonCode }),
  );
}

export async function projectSupplierUnblocked(store: RowStore, e: ProjectedEvent<SupplierUnblocked>): Promise<void> {
  const v = e.value;
  await mergeInto(store, SUPPLIERS, { supplier_id: v.supplierId }, e, (row) =>
    lastWriterWins(row, 'block_version', e, { blocked: false, block_scope: v.scope, block_reason_code: null }),
  );
}
