import type { EntityManager } from 'typeorm';
import { supersedes, type SupplierBlockScope, type SupplierSite, type SupplierStatus } from '@finmesh/contracts';

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
   * State transfer, by the contracts' one revision rule (`supersedes`): an upsert that does not
   * supersede the version held (an older revision, or the same revision from an earlier event) is
   * ignored (returns false), exactly as reporting resolves it. Blocks set by SupplierBlocked are
   * kept: an upsert carries the status, not the block scopes.
   */
  async upsert(
    db: EntityManager,
    s: {
      supplierId: string;
      revision: number;
      /** eventVersion() of the event that carries it. */
      version: string;
      legalName: string;
      status: SupplierStatus;
      externalIds: Record<string, string>;
      sites: readonly SupplierSite[];
    },
  ): Promise<boolean> {
    const [held] = (await db.query('SELECT revision, revision_version FROM suppliers WHERE supplier_id = $1 FOR UPDATE', [s.supplierId])) as {
      revision: string;
      revision_version: string | null;
    }[];
    if (held && !supersedes({ revision: s.revision, version: s.version }, { revision: held.revision, version: held.revision_version })) return false;
    await db.query(
      `INSERT INTO suppliers (supplier_id, revision, legal_name, status, external_ids, sites, revision_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (supplier_id) DO UPDATE SET revision = EXCLUDED.revision, legal_name = EXCLUDED.legal_name,
         status = EXCLUDED.status, external_ids = EXCLUDED.external_ids, sites = EXCLUDED.sites, updated_at = now(),
         revision_version = EXCLUDED.revision_version,
         -- A supplier upserted ACTIVE has no blocks left (the source lifted them).
         blocked_scopes = CASE WHEN EXCLUDED.status = 'ACTIVE' THEN '{}' ELSE suppliers.blocked_scopes END`,
      [s.supplierId, s.revision, s.legalName, s.status, JSON.stringify(s.externalIds), JSON.stringify(s.sites), s.version],
    );
    return true;
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
