import type { SupplierBlocked, SupplierUnblocked, SupplierUpserted } from '@finmesh/contracts';
import type { MaybePromise, ProjectedEvent, RowStore } from '@finmesh/projection';
import { mergeInto } from './fact-rows';
import { higherRevisionWins, lastWriterWins } from './merge-rules';
import { SUPPLIERS } from './reporting-tables';

/** Supplier profile (by revision) and block state (latest block/unblock wins). */
export function projectSupplierUpserted(store: RowStore, e: ProjectedEvent<SupplierUpserted>): MaybePromise<void> {
  const v = e.value;
  return mergeInto(store, SUPPLIERS, { supplier_id: v.supplierId }, e, (row) =>
    higherRevisionWins(row, 'revision', 'profile_version', v.revision, e, {
      legal_name: v.legalName,
      status: v.status,
      payment_terms_code: v.paymentTerms.code,
      net_days: v.paymentTerms.netDays,
      default_currency: v.defaultCurrency,
    }),
  );
}

export function projectSupplierBlocked(store: RowStore, e: ProjectedEvent<SupplierBlocked>): MaybePromise<void> {
  const v = e.value;
  return mergeInto(store, SUPPLIERS, { supplier_id: v.supplierId }, e, (row) =>
    lastWriterWins(row, 'block_version', e, { blocked: true, block_scope: v.scope, block_reason_code: v.reasonCode }),
  );
}

export function projectSupplierUnblocked(store: RowStore, e: ProjectedEvent<SupplierUnblocked>): MaybePromise<void> {
  const v = e.value;
  return mergeInto(store, SUPPLIERS, { supplier_id: v.supplierId }, e, (row) =>
    lastWriterWins(row, 'block_version', e, { blocked: false, block_scope: v.scope, block_reason_code: null }),
  );
}
