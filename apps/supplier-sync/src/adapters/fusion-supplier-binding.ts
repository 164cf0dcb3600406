import { mapFusionSupplier, nameBasedIds, type FusionSupplierBlock, type LegalEntityLookup } from '@finmesh/adapters';
import { HOLD_WITHOUT_DETAIL, type SupplierBlock, type SupplierHold, type SupplierMaster } from '../suppliers/supplier-master';

/**
 * Fusion supplier JSON -> SupplierMaster: the shared adapter does the field mapping (and throws
 * MappingError listing every bad field); this adds what supplier-sync decides itself: which hold
 * makes the supplier BLOCKED, and the site summary it keeps.
 *
 * Supplier ids are name-based on the ERP supplier number, the same key procurement uses
 * (`supplier.number` on Coupa orders), so po-sync and supplier-sync agree without a lookup.
 */
export function supplierMasterFromFusion(payload: unknown, legalEntities: LegalEntityLookup): SupplierMaster {
  const mapped = mapFusionSupplier(payload, { ids: nameBasedIds, legalEntities });
  const { revision: _sourceRevision, ...record } = mapped.payload;
  const holds: SupplierHold[] = mapped.blocks.map(toHold);
  return {
    supplierNumber: readString(payload, 'SupplierNumber') ?? '',
    record,
    block: record.status === 'BLOCKED' ? blockingHold(mapped.blocks) : null,
    holds,
    legalEntity: mapped.legalEntity,
    occurredAt: mapped.occurredAt,
    changedBy: readString(payload, 'LastUpdatedBy'),
  };
}

function toHold(b: FusionSupplierBlock): SupplierHold {
  return { scope: b.scope, reasonCode: b.reasonCode, reason: b.reason, blockedBy: b.blockedBy, siteId: b.supplierSiteId };
}

/**
 * The hold behind a BLOCKED status: a supplier-level hold on everything beats a supplier-level
 * payment hold, which beats site payment holds (the adapter reports BLOCKED when every pay site is
 * on payment hold). A hold on everything is the safe fallback should none be reported.
 */
export function blockingHold(blocks: readonly FusionSupplierBlock[]): SupplierBlock {
  const supplierLevel = blocks.filter((b) => b.supplierSiteId === null);
  const chosen =
    supplierLevel.find((b) => b.scope === 'ALL') ??
    supplierLevel.find((b) => b.scope === 'PAYMENT') ??
    blocks.find((b) => b.scope === 'PAYMENT');
  if (!chosen) return HOLD_WITHOUT_DETAIL;
  return { scope: chosen.scope, reasonCode: chosen.reasonCode, reason: chosen.reason, blockedBy: chosen.blockedBy };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readString(v: unknown, key: string): string | null {
  if (!isObject(v)) return null;
  const x = v[key];
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : null;
}
