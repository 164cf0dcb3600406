import type { SupplierBlockScope, SupplierStatus } from '@finmesh/contracts';
import type { SupplierBlock, SupplierMaster } from './supplier-master';
import { stableHash } from '@finmesh/service-kit';

/** What supplier-sync holds of a supplier, as far as deciding the events is concerned. */
export interface StoredSupplierState {
  readonly status: SupplierStatus;
  readonly blockScope: SupplierBlockScope | null;
  readonly contentHash: string;
  readonly version: number;
}

export interface SupplierEventDecision {
  readonly changed: boolean;
  /** Version to store (unchanged when nothing changed). */
  readonly version: number;
  readonly contentHash: string;
  /** A hold was placed (or its scope changed) in the ERP. */
  readonly blocked: SupplierBlock | null;
  /** The hold with this scope was lifted (BLOCKED -> ACTIVE). */
  readonly unblockedScope: SupplierBlockScope | null;
}

/** Everything of the master that, when different, makes a SupplierUpserted. */
export function supplierContentHash(master: SupplierMaster): string {
  return stableHash({ record: master.record, block: master.block, holds: master.holds, legalEntity: master.legalEntity });
}

/**
 * Which events an incoming master causes given what is stored:
 *  - nothing, when the content is identical (a re-send of the same record);
 *  - SupplierUpserted for any change (the complete record: state transfer);
 *  - SupplierBlocked when the status becomes BLOCKED, and again when the block's scope changes
 *    while blocked (a PAYMENT hold widened to ALL is a new hold consumers must apply);
 *  - SupplierUnblocked when BLOCKED goes back to ACTIVE, for the scope that was held.
 * BLOCKED -> INACTIVE publishes no SupplierUnblocked: the supplier is not usable either way, and
 * an "unblocked" signal would invite consumers to resume business with it.
 */
export function decideSupplierEvents(previous: StoredSupplierState | undefined, next: SupplierMaster): SupplierEventDecision {
  const contentHash = supplierContentHash(next);
  if (previous && previous.contentHash === contentHash) {
    return { changed: false, version: previous.version, contentHash, blocked: null, unblockedScope: null };
  }
  const nowBlocked = next.record.status === 'BLOCKED';
  const wasBlocked = previous?.status === 'BLOCKED';
  const blocked = nowBlocked && next.block && (!wasBlocked || previous?.blockScope !== next.block.scope) ? next.block : null;
  const unblockedScope = wasBlocked && next.record.status === 'ACTIVE' ? (previous?.blockScope ?? 'ALL') : null;
  return { changed: true, version: (previous?.version ?? 0) + 1, contentHash, blocked, unblockedScope };
}
