import type { BankAccount, LegalEntityRef, SupplierBlockScope, SupplierSite, SupplierStatus, TaxId } from '@finmesh/contracts';
import type { EntityManager } from 'typeorm';
import { supplierLockKey } from '../database/advisory-locks';
import type { SupplierBlock, SupplierHold, SupplierMaster, SupplierRecord } from './supplier-master';
import type { StoredSupplierState } from './supplier-transitions';

/** A supplier as stored: the record plus bookkeeping. Bank accounts and tax ids are NOT masked here. */
export interface StoredSupplier extends StoredSupplierState {
  readonly supplierNumber: string;
  readonly record: SupplierRecord;
  readonly block: SupplierBlock | null;
  readonly holds: readonly SupplierHold[];
  readonly legalEntity: LegalEntityRef;
  readonly revision: number;
  readonly sourceUpdatedAt: Date | null;
  readonly updatedAt: Date;
  readonly lastEventId: string | null;
}

interface SupplierRow {
  supplier_id: string;
  supplier_number: string;
  external_ids: Record<string, string>;
  legal_name: string;
  trading_name: string | null;
  status: SupplierStatus;
  block_scope: SupplierBlockScope | null;
  block_reason_code: string | null;
  block_reason: string | null;
  blocked_by: string | null;
  holds: SupplierHold[];
  registered_address: SupplierRecord['registeredAddress'];
  remit_to_address: SupplierRecord['remitToAddress'];
  tax_ids: TaxId[];
  bank_accounts: BankAccount[];
  payment_terms: SupplierRecord['paymentTerms'];
  default_currency: string;
  contact_email: string | null;
  legal_entity: LegalEntityRef;
  sites: unknown[];
  content_hash: string;
  version: number;
  revision: string; // bigint arrives as text
  source_updated_at: Date | null;
  updated_at: Date;
  last_event_id: string | null;
}

function fromRow(r: SupplierRow): StoredSupplier {
  return {
    supplierNumber: r.supplier_number,
    record: {
      supplierId: r.supplier_id, externalIds: r.external_ids, legalName: r.legal_name, tradingName: r.trading_name, status: r.status,
      registeredAddress: r.registered_address, remitToAddress: r.remit_to_address, taxIds: r.tax_ids, bankAccounts: r.bank_accounts,
      paymentTerms: r.payment_terms, defaultCurrency: r.default_currency, contactEmail: r.contact_email, sites: sitesOf(r.sites),
    },
    status: r.status,
    blockScope: r.block_scope,
    block: r.block_scope === null ? null : { scope: r.block_scope, reasonCode: r.block_reason_code ?? '', reason: r.block_reason, blockedBy: r.blocked_by ?? '' },
    holds: r.holds,
    legalEntity: r.legal_entity,
    contentHash: r.content_hash,
    version: r.version,
    revision: Number(r.revision),
    sourceUpdatedAt: r.source_updated_at,
    updatedAt: r.updated_at,
    lastEventId: r.last_event_id,
  };
}

/**
 * The sites column: the contract's SupplierSite since SupplierUpserted v2; rows stored before
 * held an ops summary (`procurementBU`, `inactiveDate`), read into the same shape.
 */
function sitesOf(stored: unknown[]): SupplierSite[] {
  return stored.filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null).map((s) => ({
    siteId: typeof s['siteId'] === 'string' ? s['siteId'] : '',
    site: typeof s['site'] === 'string' ? s['site'] : '',
    procurementBusinessUnit: typeof s['procurementBusinessUnit'] === 'string' ? s['procurementBusinessUnit'] : typeof s['procurementBU'] === 'string' ? s['procurementBU'] : null,
    pay: s['pay'] === true,
    purchasing: s['purchasing'] === true,
    active: typeof s['active'] === 'boolean' ? s['active'] : s['inactiveDate'] === null || s['inactiveDate'] === undefined,
  }));
}

/** SQL for the suppliers table; every method runs in the caller's transaction or manager. */
export class SupplierStore {
  async find(db: Pick<EntityManager, 'query'>, supplierId: string, forUpdate = false): Promise<StoredSupplier | undefined> {
    const rows = (await db.query(`SELECT * FROM suppliers WHERE supplier_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [supplierId])) as SupplierRow[];
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /** Serialises writers of one supplier, including the very first insert (no row to lock yet). */
  async lock(tx: EntityManager, supplierId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [supplierLockKey(supplierId)]);
  }

  async save(
    tx: EntityManager,
    m: SupplierMaster,
    state: { contentHash: string; version: number; revision: number; lastEventId: string },
  ): Promise<void> {
    const r = m.record;
    await tx.query(
      `INSERT INTO suppliers (supplier_id, supplier_number, external_ids, legal_name, trading_name, status, block_scope, block_reason_code,
         block_reason, blocked_by, holds, registered_address, remit_to_address, tax_ids, bank_accounts, payment_terms, default_currency,
         contact_email, legal_entity, sites, content_hash, version, revision, source_updated_at, updated_at, last_event_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24, now(), $25)
       ON CONFLICT (supplier_id) DO UPDATE SET
         supplier_number = EXCLUDED.supplier_number, external_ids = EXCLUDED.external_ids, legal_name = EXCLUDED.legal_name,
         trading_name = EXCLUDED.trading_name, status = EXCLUDED.status, block_scope = EXCLUDED.block_scope,
         block_reason_code = EXCLUDED.block_reason_code, block_reason = EXCLUDED.block_reason, blocked_by = EXCLUDED.blocked_by,
         holds = EXCLUDED.holds, registered_address = EXCLUDED.registered_address, remit_to_address = EXCLUDED.remit_to_address,
         tax_ids = EXCLUDED.tax_ids, bank_accounts = EXCLUDED.bank_accounts, payment_terms = EXCLUDED.payment_terms,
         default_currency = EXCLUDED.default_currency, contact_email = EXCLUDED.contact_email, legal_entity = EXCLUDED.legal_entity,
         sites = EXCLUDED.sites, content_hash = EXCLUDED.content_hash, version = EXCLUDED.version, revision = EXCLUDED.revision,
         source_updated_at = EXCLUDED.source_updated_at, updated_at = now(), last_event_id = EXCLUDED.last_event_id`,
      [
        r.supplierId, m.supplierNumber, JSON.stringify(r.externalIds), r.legalName, r.tradingName, r.status, m.block?.scope ?? null,
        m.block?.reasonCode ?? null, m.block?.reason ?? null, m.block?.blockedBy ?? null, JSON.stringify(m.holds),
        JSON.stringify(r.registeredAddress), r.remitToAddress === null ? null : JSON.stringify(r.remitToAddress), JSON.stringify(r.taxIds),
        JSON.stringify(r.bankAccounts), JSON.stringify(r.paymentTerms), r.defaultCurrency, r.contactEmail, JSON.stringify(m.legalEntity),
        JSON.stringify(m.record.sites), state.contentHash, state.version, state.revision, m.occurredAt, state.lastEventId,
      ],
    );
  }
}
