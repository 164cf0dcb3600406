import type { Role } from '@finmesh/service-kit';
import type { LegalEntityRef } from '@finmesh/contracts';
import { maskBankAccount, maskTaxId } from './masking';
import type { SupplierBlock, SupplierHold, SupplierRecord } from './supplier-master';
import type { StoredSupplier } from './supplier-store';

/** What the API answers for a supplier. */
export interface SupplierView extends SupplierRecord {
  readonly supplierNumber: string;
  readonly block: SupplierBlock | null;
  readonly holds: readonly SupplierHold[];
  readonly legalEntity: LegalEntityRef;
  readonly version: number;
  readonly revision: number;
  readonly updatedAt: string;
  readonly lastEventId: string | null;
  /** True when bank account numbers and tax ids are masked for this caller. */
  readonly masked: boolean;
}

/** The system of record may read its own data unmasked; everyone else sees masked values. */
export function seesUnmaskedSupplierData(roles: readonly Role[]): boolean {
  return roles.includes('erp-platform');
}

export function supplierView(s: StoredSupplier, unmasked: boolean): SupplierView {
  return {
    ...s.record,
    taxIds: unmasked ? s.record.taxIds : s.record.taxIds.map(maskTaxId),
    bankAccounts: unmasked ? s.record.bankAccounts : s.record.bankAccounts.map(maskBankAccount),
    supplierNumber: s.supplierNumber,
    block: s.block,
    holds: s.holds,
    legalEntity: s.legalEntity,
    version: s.version,
    revision: s.revision,
    updatedAt: s.updatedAt.toISOString(),
    lastEventId: s.lastEventId,
    masked: !unmasked,
  };
}
