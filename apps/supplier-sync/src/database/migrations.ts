import type { SchemaMigration } from '@finmesh/service-kit';

/**
 * supplier-sync tables. The ERP is the system of record: this is finmesh's copy of the supplier
 * master as last received from it, plus what is needed to decide which events a re-send causes.
 */
export const SUPPLIER_SYNC_MIGRATIONS: readonly SchemaMigration[] = [
  {
    id: '001-suppliers',
    sql: `
      CREATE TABLE suppliers (
        supplier_id        uuid PRIMARY KEY,
        supplier_number    text NOT NULL UNIQUE,
        external_ids       jsonb NOT NULL,
        legal_name         text NOT NULL,
        trading_name       text,
        status             text NOT NULL CHECK (status IN ('ACTIVE', 'BLOCKED', 'INACTIVE')),
        -- The hold placed in the ERP; set exactly when status = BLOCKED.
        block_scope        text CHECK (block_scope IN ('ALL', 'PURCHASING', 'POSTING', 'PAYMENT')),
        block_reason_code  text,
        block_reason       text,
        blocked_by         text,
        -- Every hold in force (supplier and site level), including those that leave it ACTIVE.
        holds              jsonb NOT NULL DEFAULT '[]'::jsonb,
        registered_address jsonb NOT NULL,
        remit_to_address   jsonb,
        tax_ids            jsonb NOT NULL,
        bank_accounts      jsonb NOT NULL,
        payment_terms      jsonb NOT NULL,
        default_currency   text NOT NULL,
        contact_email      text,
        -- Legal entity of the envelope, and the ERP sites per legal entity / business unit.
        legal_entity       jsonb NOT NULL,
        sites              jsonb NOT NULL DEFAULT '[]'::jsonb,
        -- Hash of everything above: an identical re-send changes nothing and publishes nothing.
        content_hash       text NOT NULL,
        version            integer NOT NULL,
        -- revision of the last SupplierUpserted: strictly increasing, at least the ERP's LastUpdateDate in ms.
        revision           bigint NOT NULL,
        source_updated_at  timestamptz,
        updated_at         timestamptz NOT NULL DEFAULT now(),
        last_event_id      uuid,
        CONSTRAINT block_only_when_blocked CHECK ((status = 'BLOCKED') = (block_scope IS NOT NULL))
      )`,
  },
];
