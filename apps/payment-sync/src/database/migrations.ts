import type { SchemaMigration } from '@finmesh/service-kit';

/**
 * payment-sync's tables (schema `payment_sync`; the connection's search_path points at it).
 * Money is NUMERIC(19,4) like the contract and is read back with `::text`, never as a JS float.
 */
export const PAYMENT_SYNC_MIGRATIONS: readonly SchemaMigration[] = [
  {
    // Supplier facts of invoices from InvoiceReceived: InvoicePosted carries neither the supplier nor
    // the supplier's invoice number, which resolving a Fusion payment by invoice number needs.
    id: '001-received-invoices',
    sql: `
      CREATE TABLE received_invoices (
        invoice_id               text PRIMARY KEY,
        supplier_id              text NOT NULL,
        supplier_invoice_number  text NOT NULL,
        document_type            text NOT NULL,
        gross_amount             numeric(19,4) NOT NULL,
        currency                 text NOT NULL,
        received_at              timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX received_invoices_number ON received_invoices (supplier_invoice_number)`,
  },
  {
    // Payable invoices: one row per InvoicePosted, with what has been paid so far.
    id: '002-invoices',
    sql: `
      CREATE TABLE invoices (
        invoice_id               text PRIMARY KEY,
        supplier_id              text,
        supplier_invoice_number  text,
        erp_document_id          text NOT NULL,
        erp_document_number      text,
        gross_amount             numeric(19,4) NOT NULL,
        currency                 text NOT NULL,
        legal_entity             jsonb NOT NULL,
        correlation_id           text NOT NULL,
        amount_paid              numeric(19,4) NOT NULL DEFAULT 0,
        payment_status           text NOT NULL DEFAULT 'OPEN' CHECK (payment_status IN ('OPEN', 'PARTIALLY_PAID', 'PAID')),
        posted_at                timestamptz NOT NULL DEFAULT now(),
        updated_at               timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX invoices_erp_document_id ON invoices (erp_document_id);
      CREATE INDEX invoices_supplier_number ON invoices (supplier_invoice_number, supplier_id)`,
  },
  {
    // Payments as recorded from the ERP. released_recorded_at / confirmed_recorded_at are when
    // finmesh learnt of each step; the delays are kept for reporting (released -> confirmed).
    id: '003-payments',
    sql: `
      CREATE TABLE payments (
        payment_id                  text PRIMARY KEY,
        erp_payment_id              text NOT NULL UNIQUE,
        erp_payment_number          text NOT NULL,
        payment_run_id              text NOT NULL,
        supplier_id                 text NOT NULL,
        amount                      numeric(19,4) NOT NULL,
        currency                    text NOT NULL,
        method                      text NOT NULL,
        value_date                  date NOT NULL,
        payee_bank_account_ref      text NOT NULL,
        status                      text NOT NULL CHECK (status IN ('RELEASED', 'CONFIRMED')),
        legal_entity                jsonb NOT NULL,
        correlation_id              text NOT NULL,
        released_event_id           uuid NOT NULL,
        released_recorded_at        timestamptz NOT NULL DEFAULT now(),
        confirmed_event_id          uuid,
        bank_reference              text,
        cleared_date                date,
        confirmed_recorded_at       timestamptz,
        confirmation_delay_days     integer,
        confirmation_delay_seconds  bigint
      );
      CREATE TABLE payment_allocations (
        payment_id               text NOT NULL REFERENCES payments ON DELETE CASCADE,
        position                 integer NOT NULL,
        invoice_id               text NOT NULL REFERENCES invoices,
        supplier_invoice_number  text,
        erp_invoice_id           text,
        amount                   numeric(19,4) NOT NULL,
        currency                 text NOT NULL,
        PRIMARY KEY (payment_id, position)
      );
      CREATE INDEX payment_allocations_invoice ON payment_allocations (invoice_id)`,
  },
  {
    // Payments that reference invoices finmesh does not know (yet). Never dropped: an InvoicePosted
    // that makes one resolvable processes it; 'awaiting' lists the references still missing
    // ('erp:<InvoiceId>', 'number:<InvoiceNumber>') so that handler finds candidates by index.
    id: '004-parked-payments',
    sql: `
      CREATE TABLE parked_payments (
        parked_id       uuid PRIMARY KEY,
        erp_payment_id  text NOT NULL,
        erp_status      text NOT NULL,
        payload         jsonb NOT NULL,
        reason          text NOT NULL,
        awaiting        text[] NOT NULL,
        status          text NOT NULL DEFAULT 'PARKED' CHECK (status IN ('PARKED', 'RESOLVED', 'REFUSED')),
        parked_by       text NOT NULL,
        parked_at       timestamptz NOT NULL DEFAULT now(),
        resolved_at     timestamptz,
        payment_id      text
      );
      CREATE INDEX parked_payments_open ON parked_payments USING gin (awaiting) WHERE status = 'PARKED';
      CREATE INDEX parked_payments_erp_payment ON parked_payments (erp_payment_id) WHERE status = 'PARKED'`,
  },
  {
    // A payment voided in the ERP (Fusion VoidDate): it re-opens what it settled and is kept, VOIDED.
    id: '005-payment-voids',
    sql: `
      ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_status_check;
      ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('RELEASED', 'CONFIRMED', 'VOIDED'));
      ALTER TABLE payments ADD COLUMN voided_event_id uuid, ADD COLUMN void_date date, ADD COLUMN voided_recorded_at timestamptz`,
  },
];
