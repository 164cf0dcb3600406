import type { EntityManager } from 'typeorm';
import type { SupplierBlockScope, SupplierSite, SupplierStatus } from '@finmesh/contracts';

/** What invoice validation needs to know about a supplier. */
export interface SupplierState {
  readonly supplierId: string;
  readonly legalName: string;
  readonly status: SupplierStatus;
  readonly blockedScopes: readonly SupplierBlockScope[];
  readonly blockReason: string | null;
  readonly externalIds: Readonly<Record<string, string>>;
  /** The supplier's ERP sites (empty when its master came without them, e.g. a v1 event). */
  readonly sites: readonly SupplierSite[];
}

/**
 * Scopes that stop invoices: ALL, and POSTING (no liabilities may be booked). PURCHASING stops new
 * orders and PAYMENT stops payments; invoices for goods already ordered still get matched and posted.
 */
const INVOICE_BLOCKING_SCOPES: readonly SupplierBlockScope[] = ['ALL', 'POSTING'];

export type SupplierStanding = 'ACTIVE' | 'BLOCKED' | 'INACTIVE' | 'UNKNOWN';

/** How an invoice of this supplier is to be treated. */
export function supplierStanding(supplier: SupplierState | null): SupplierStanding {
  if (supplier === null) return 'UNKNOWN';
  if (supplier.blockedScopes.some((s) => INVOICE_BLOCKING_SCOPES.includes(s))) return 'BLOCKED';
  if (supplier.status === 'BLOCKED' && supplier.blockedScopes.length === 0) return 'BLOCKED';
  if (supplier.status === 'INACTIVE') return 'INACTIVE';
  return 'ACTIVE';
}

interface SupplierRow {
  supplier_id: string;
  legal_name: string;
  status: SupplierStatus;
  blocked_scopes: SupplierBlockScope[];
  block_reason: string | null;
  external_ids: Record<string, string>;
  sites: SupplierSite[];
}

/** Reads and writes the supplier replica, always through the caller's transaction. */
export class SupplierReplicaStore {
  async find(db: EntityManager, supplierId: string): Promise<SupplierState | null> {
    const rows = (await db.query(
      'SELECT supplier_id, legal_name, status, blocked_scopes, block_reason, external_ids, sites FROM suppliers WHERE supplier_id = $1',
      [supplierId],
    )) as SupplierRow[];
    const r = rows[0];
    return r
      ? { supplierId: r.supplier_id, legalName: r.legal_name, status: r.status, blockedScopes: r.blocked_scopes, blockReason: r.block_reason, externalIds: r.external_ids, sites: r.sites }
      : null;
  }

  /** Finds a supplier by its id on a platform (externalIds), e.g. the ERP supplier number. */
  async findIdByExternalId(db: EntityManager, platform: string, externalId: string): Promise<string | undefined> {
    const rows = (await db.query('SELECT supplier_id FROM suppliers WHERE external_ids ->> $1 = $2 LIMIT 1', [platform, externalId])) as {
      supplier_id: string;
    }[];
    return rows[0]?.supplier_id;
  }

  /**
   * State transfer; an upsert older than the revision held is ignored (returns false). Blocks set by
   * SupplierBlocked are kept: an upsert carries the status, not the block scopes.
   */
  async upsert(
    db: EntityManager,
    s: { supplierId: string; revision: number; legalName: string; status: SupplierStatus; externalIds: Record<string, string>; sites: readonly SupplierSite[] },
  ): Promise<boolean> {
    const rows = (await db.query(
      `INSERT INTO suppliers (supplier_id, revision, legal_name, status, external_ids, sites)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (supplier_id) DO UPDATE SET revision = EXCLUDED.revision, legal_name = EXCLUDED.legal_name,
         status = EXCLUDED.status, external_ids = EXCLUDED.external_ids, sites = EXCLUDED.sites, updated_at = now(),
         -- A supplier upserted ACTIVE has no blocks left (the source lifted them).
         blocked_scopes = CASE WHEN EXCLUDED.status = 'ACTIVE' THEN '{}' ELSE suppliers.blocked_scopes END
       WHERE suppliers.revision < EXCLUDED.revision
       RETURNING supplier_id`,
      [s.supplierId, s.revision, s.legalName, s.status, JSON.stringify(s.externalIds), JSON.stringify(s.sites)],
    )) as unknown[];
    return rows.length > 0;
  }

  async block(db: EntityManager, supplierId: string, scope: SupplierBlockScope, reason: string): Promise<void> {
    // A block for a supplier not replicated yet (should not happen: same topic and key as its
    // upserts) still takes effect; the placeholder is replaced by the first upsert (revision -1).
    await db.query(
      `INSERT INTO suppliers (supplier_id, revision, legal_name, status, blocked_scopes, block_reason)
       VALUES ($1, -1, '', 'BLOCKED', ARRAY[$2]::text[], $3)
       ON CONFLICT (supplier_id) DO UPDATE SET
         blocked_scopes = (SELECT array_agg(DISTINCT s) FROM unnest(suppliers.blocked_scopes || ARRAY[$2]::text[]) AS s),
         block_reason = $3, updated_at = now(),
         status = CASE WHEN $2 IN ('ALL', 'POSTING') THEN 'BLOCKED' ELSE suppliers.status END`,
      [supplierId, scope, reason],
    );
  }

  /** Lifts a block (ALL lifts every block); returns the supplier's state afterwards. */
  async unblock(db: EntityManager, supplierId: string, scope: SupplierBlockScope): Promise<SupplierState | null> {
    await db.query(
      `UPDATE suppliers SET
         blocked_scopes = CASE WHEN $2 = 'ALL' THEN '{}'::text[] ELSE array_remove(blocked_scopes, $2) END,
         updated_at = now()
       WHERE supplier_id = $1`,
      [supplierId, scope],
    );
    await db.query(
      `UPDATE suppliers SET status = 'ACTIVE', block_reason = NULL
       WHERE supplier_id = $1 AND status = 'BLOCKED' AND NOT (blocked_scopes && ARRAY['ALL', 'POSTING']::text[])`,
      [supplierId],
    );
    return this.find(db, supplierId);
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const supplierReplica = new SupplierReplicaStore();
