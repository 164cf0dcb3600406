import type { EntityManager } from 'typeorm';
import type { SupplierBlockScope } from '@finmesh/contracts';

type Db = Pick<EntityManager, 'query'>;

export interface SupplierBlock {
  readonly supplierId: string;
  readonly scope: SupplierBlockScope;
  readonly reasonCode: string;
  readonly reason: string | null;
  readonly blockedBy: string;
  readonly blockedAt: Date;
}

export interface FlaggedDocument {
  readonly documentKind: 'purchase_order' | 'receipt';
  readonly documentId: string;
  readonly supplierId: string;
  readonly scope: SupplierBlockScope;
  readonly reasonCode: string;
  readonly flaggedAt: string;
}

/**
 * Scopes that concern procurement documents: a hold on everything, or on purchasing. A payment or
 * posting hold leaves ordering and receiving alone.
 */
const PROCUREMENT_SCOPES: readonly SupplierBlockScope[] = ['ALL', 'PURCHASING'];

/** SQL for supplier_blocks and blocked_supplier_documents (migration 005), in the caller's transaction. */
export class SupplierBlockStore {
  async block(db: Db, b: SupplierBlock, eventId: string): Promise<void> {
    await db.query(
      `INSERT INTO supplier_blocks (supplier_id, scope, reason_code, reason, blocked_by, blocked_at, event_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (supplier_id) DO UPDATE SET scope = EXCLUDED.scope, reason_code = EXCLUDED.reason_code, reason = EXCLUDED.reason,
         blocked_by = EXCLUDED.blocked_by, blocked_at = EXCLUDED.blocked_at, event_id = EXCLUDED.event_id`,
      [b.supplierId, b.scope, b.reasonCode, b.reason, b.blockedBy, b.blockedAt, eventId],
    );
  }

  /** Lifts the block of `scope` (or any, for ALL). */
  async unblock(db: Db, supplierId: string, scope: SupplierBlockScope): Promise<void> {
    await db.query(`DELETE FROM supplier_blocks WHERE supplier_id = $1 AND ($2 = 'ALL' OR scope = $2)`, [supplierId, scope]);
  }

  /** The block that concerns orders and receipts of this supplier, if any. */
  async procurementBlockOf(db: Db, supplierId: string): Promise<SupplierBlock | undefined> {
    const rows = (await db.query('SELECT supplier_id, scope, reason_code, reason, blocked_by, blocked_at FROM supplier_blocks WHERE supplier_id = $1 AND scope = ANY($2::text[])', [
      supplierId,
      PROCUREMENT_SCOPES,
    ])) as { supplier_id: string; scope: SupplierBlockScope; reason_code: string; reason: string | null; blocked_by: string; blocked_at: Date }[];
    const r = rows[0];
    return r ? { supplierId: r.supplier_id, scope: r.scope, reasonCode: r.reason_code, reason: r.reason, blockedBy: r.blocked_by, blockedAt: r.blocked_at } : undefined;
  }

  async flag(db: Db, kind: FlaggedDocument['documentKind'], documentId: string, block: SupplierBlock): Promise<void> {
    await db.query(
      `INSERT INTO blocked_supplier_documents (document_kind, document_id, supplier_id, scope, reason_code) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (document_kind, document_id) DO NOTHING`,
      [kind, documentId, block.supplierId, block.scope, block.reasonCode],
    );
  }

  async flagOf(db: Db, kind: FlaggedDocument['documentKind'], documentId: string): Promise<FlaggedDocument | undefined> {
    return (await this.list(db, { kind, documentId }))[0];
  }

  async list(db: Db, filter: { kind?: FlaggedDocument['documentKind']; documentId?: string } = {}): Promise<FlaggedDocument[]> {
    const rows = (await db.query(
      `SELECT document_kind, document_id, supplier_id, scope, reason_code, flagged_at FROM blocked_supplier_documents
        WHERE ($1::text IS NULL OR document_kind = $1) AND ($2::text IS NULL OR document_id = $2) ORDER BY flagged_at DESC LIMIT 500`,
      [filter.kind ?? null, filter.documentId ?? null],
    )) as { document_kind: FlaggedDocument['documentKind']; document_id: string; supplier_id: string; scope: SupplierBlockScope; reason_code: string; flagged_at: Date }[];
    return rows.map((r) => ({ documentKind: r.document_kind, documentId: r.document_id, supplierId: r.supplier_id, scope: r.scope, reasonCode: r.reason_code, flaggedAt: r.flagged_at.toISOString() }));
  }
}

export const supplierBlocks = new SupplierBlockStore();
