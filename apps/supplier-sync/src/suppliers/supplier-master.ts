import type { LegalEntityRef, SupplierBlockScope, SupplierUpserted } from '@finmesh/contracts';

/** The canonical supplier fields SupplierUpserted carries (without envelope and revision). */
export type SupplierRecord = Omit<SupplierUpserted, 'envelope' | 'revision'>;

/** A hold placed on the supplier in the ERP. */
export interface SupplierBlock {
  readonly scope: SupplierBlockScope;
  readonly reasonCode: string;
  readonly reason: string | null;
  readonly blockedBy: string;
}

/**
 * The hold behind a BLOCKED status the ERP reports without saying which hold it is: a hold on
 * everything, the safe reading (a polled master without hold flags, an ingress record).
 */
export const HOLD_WITHOUT_DETAIL: SupplierBlock = { scope: 'ALL', reasonCode: 'ERP_HOLD', reason: 'blocked in the ERP without a reported hold', blockedBy: 'ERP' };

export interface SupplierHold extends SupplierBlock {
  /** ERP site the hold is on; null for a supplier-level hold. */
  readonly siteId: string | null;
}

/**
 * One supplier as the ERP sent it, mapped to canonical fields: what supplier-sync stores and
 * compares. Produced from the platform payload by the adapter binding (adapters/).
 */
export interface SupplierMaster {
  readonly supplierNumber: string;
  readonly record: SupplierRecord;
  /** The hold that makes the supplier BLOCKED; set exactly when record.status is BLOCKED. */
  readonly block: SupplierBlock | null;
  /**
   * Every hold in force, including site-level ones that leave the supplier ACTIVE (a purchasing
   * hold on one site). Stored and shown for ops; only `block` drives SupplierBlocked/Unblocked.
   */
  readonly holds: readonly SupplierHold[];
  /** Legal entity of the events' envelope. */
  readonly legalEntity: LegalEntityRef;
  /** When the ERP last changed the record. */
  readonly occurredAt: Date;
  /** Who changed it in the ERP (for blockedBy / unblockedBy when the payload names nobody better). */
  readonly changedBy: string | null;
}
