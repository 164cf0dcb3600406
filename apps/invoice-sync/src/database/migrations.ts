import type { SchemaMigration } from '@finmesh/service-kit';

/**
 * invoice-sync's tables (schema `invoice_sync`; the connection's search_path points at it).
 *
 * Money and quantities are NUMERIC with the contract scales (amounts 19,4, unit prices 19,6), read
 * back with `::text` so they never pass through a JS float.
 */
export const INVOICE_SYNC_MIGRATIONS: readonly SchemaMigration[] = [
  {
    // Replica of the supplier master, as far as invoice validation needs it. `status` is the last
    // upserted status; `blocked_scopes` the blocks set by SupplierBlocked and not yet lifted.
    id: '001-suppliers',
    sql: `
      CREATE TABLE suppliers (
        supplier_id     text PRIMARY KEY,
        revision        integer NOT NULL,
        legal_name      text NOT NULL,
        status          text NOT NULL,
        blocked_scopes  text[] NOT NULL DEFAULT '{}',
        block_reason    text,
        external_ids    jsonb NOT NULL DEFAULT '{}',
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`,
  },
  {
    // Replica of purchase orders, their current line set and the goods received per line.
    id: '002-purchase-orders',
    sql: `
      CREATE TABLE purchase_orders (
        purchase_order_id    text PRIMARY KEY,
        po_number            text NOT NULL,
        supplier_id          text NOT NULL,
        currency             text NOT NULL,
        revision             integer NOT NULL,
        status               text NOT NULL DEFAULT 'OPEN',
        close_reason         text,
        legal_entity         jsonb NOT NULL,
        updated_at           timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX purchase_orders_po_number ON purchase_orders (po_number);
      CREATE TABLE purchase_order_lines (
        purchase_order_id  text NOT NULL REFERENCES purchase_orders ON DELETE CASCADE,
        line_number        integer NOT NULL,
        quantity           numeric(19,4) NOT NULL,
        unit_of_measure    text NOT NULL,
        unit_price         numeric(19,6) NOT NULL,
        amount             numeric(19,4) NOT NULL,
        tax_code           text,
        match_type         text NOT NULL,
        -- A line absent from a PurchaseOrderChanged was cancelled; kept so receipts still refer to it.
        cancelled          boolean NOT NULL DEFAULT false,
        PRIMARY KEY (purchase_order_id, line_number)
      );
      -- One row per receipt document line: a GoodsReceiptRecorded re-sent with a new event id
      -- (which the inbox cannot recognise) does not count twice.
      CREATE TABLE goods_receipt_lines (
        receipt_id         text NOT NULL,
        po_line_number     integer NOT NULL,
        purchase_order_id  text NOT NULL,
        quantity_received  numeric(19,4) NOT NULL,
        received_at        timestamptz NOT NULL,
        PRIMARY KEY (receipt_id, po_line_number)
      );
      CREATE INDEX goods_receipt_lines_po ON goods_receipt_lines (purchase_order_id);`,
  },
  {
    // Invoices: the canonical InvoiceReceived (for re-validation and posting) plus the state.
    id: '003-invoices',
    sql: `
      CREATE TABLE invoices (
        invoice_id               text PRIMARY KEY,
        -- Arrival order: duplicate detection compares an invoice with the ones that came before it.
        seq                      bigserial NOT NULL,
        supplier_id              text NOT NULL,
        supplier_invoice_number  text NOT NULL,
        document_type            text NOT NULL,
        invoice_date             date NOT NULL,
        purchase_order_id        text,
        currency                 text NOT NULL,
        gross_amount             numeric(19,4) NOT NULL,
        legal_entity             jsonb NOT NULL,
        correlation_id           text NOT NULL,
        source_platform          text NOT NULL,
        status                   text NOT NULL,
        invoice                  jsonb NOT NULL,
        match_result             jsonb,
        approval                 jsonb,
        erp_document_id          text,
        erp_document_number      text,
        accounting_date          date,
        posted_at                timestamptz,
        settled_amount           numeric(19,4) NOT NULL DEFAULT 0,
        received_at              timestamptz NOT NULL DEFAULT now(),
        updated_at               timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX invoices_supplier ON invoices (supplier_id);
      CREATE INDEX invoices_po_status ON invoices (purchase_order_id, status);
      CREATE INDEX invoices_status ON invoices (status);

      -- Match exceptions and holds, open until re-validation, override or rejection resolves them;
      -- raised_at feeds the aging of the AP work queue.
      CREATE TABLE invoice_exceptions (
        exception_id       text PRIMARY KEY,
        invoice_id         text NOT NULL REFERENCES invoices,
        status             text NOT NULL,
        kind               text NOT NULL,
        reason_codes       text[] NOT NULL,
        reasons            jsonb NOT NULL,
        raised_at          timestamptz NOT NULL DEFAULT now(),
        resolved_at        timestamptz,
        resolution         text,
        resolved_by        text,
        resolution_reason  text
      );
      CREATE INDEX invoice_exceptions_open ON invoice_exceptions (invoice_id) WHERE status = 'OPEN';

      -- Every call made to post an invoice to the ERP. Written in its own short transaction BEFORE
      -- the HTTP call, so it survives the rollback of a failed handler and tells the next attempt
      -- that the ERP may already hold the invoice.
      CREATE TABLE erp_posting_attempts (
        invoice_id       text NOT NULL,
        attempt          integer NOT NULL,
        started_at       timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz,
        outcome          text NOT NULL,
        http_status      integer,
        erp_code         text,
        erp_message      text,
        erp_document_id  text,
        PRIMARY KEY (invoice_id, attempt)
      );

      -- Payment allocations per payment and invoice; a confirmation replaces the release of the
      -- same payment so one payment is never counted twice.
      CREATE TABLE payment_allocations (
        payment_id       text NOT NULL,
        invoice_id       text NOT NULL,
        stage            text NOT NULL,
        amount           numeric(19,4) NOT NULL,
        discount_taken   numeric(19,4) NOT NULL DEFAULT 0,
        currency         text NOT NULL,
        recorded_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (payment_id, invoice_id)
      );`,
  },
  {
    // Supplier revisions are source timestamps in epoch milliseconds (supplier-sync), beyond int4;
    // Avro revisions are longs everywhere, so both replicas store them as bigint.
    id: '004-revisions-bigint',
    sql: `ALTER TABLE suppliers ALTER COLUMN revision TYPE bigint;
          ALTER TABLE purchase_orders ALTER COLUMN revision TYPE bigint;`,
  },
  {
    // What the ERP says about invoices finmesh posted, read back by the Fusion pollers: its
    // validation status (with the update time it was read at) and its holds, one row per hold.
    // The poll ledger and watermarks of those pollers live in the same schema (connectors).
    id: '005-erp-readback',
    sql: `
      ALTER TABLE invoices ADD COLUMN erp_validation_status text, ADD COLUMN erp_validation_read_at timestamptz,
                           ADD COLUMN cancelled_at timestamptz, ADD COLUMN cancellation_origin text;
      CREATE INDEX invoices_erp_document ON invoices (erp_document_id) WHERE erp_document_id IS NOT NULL;
      CREATE TABLE erp_invoice_holds (
        hold_id        text PRIMARY KEY,
        invoice_id     text NOT NULL REFERENCES invoices,
        hold_name      text NOT NULL,
        hold_reason    text,
        released       boolean NOT NULL,
        erp_updated_at timestamptz NOT NULL
      );
      CREATE INDEX erp_invoice_holds_open ON erp_invoice_holds (invoice_id) WHERE NOT released;`,
  },
  {
    // The accounting of each PO line (PurchaseOrderLine.costCenter / glAccount): a line posted
    // with its own distribution because the ERP does not hold the PO takes the PO line's when it
    // has none (see ErpPostingService). Lines replicated before this migration have none until
    // their PO is changed or re-issued.
    id: '006-po-line-accounting',
    sql: `ALTER TABLE purchase_order_lines ADD COLUMN cost_center_code text, ADD COLUMN cost_center_name text, ADD COLUMN gl_account text;`,
  },
  {
    // The invoice lifecycle after capture:
    //  - capture version of the stored Coupa invoice (updated-at, lock-version-key): a re-capture
    //    with a newer version replaces the stored one before approval. Invoices stored earlier
    //    take the envelope's occurredAt, which is the capture's updated-at.
    //  - erp_cancellations: an invoice voided in AP after posting, cancelled in the ERP
    //    (cancelInvoice). One row per invoice; a replayed InvoiceCancelled finds it and does not
    //    call the ERP again.
    id: '007-invoice-lifecycle',
    sql: `
      ALTER TABLE invoices ADD COLUMN capture_updated_at timestamptz, ADD COLUMN capture_lock_version bigint;
      UPDATE invoices SET capture_updated_at = (invoice -> 'envelope' ->> 'occurredAt')::timestamptz;
      CREATE TABLE erp_cancellations (
        invoice_id       text PRIMARY KEY REFERENCES invoices,
        erp_document_id  text NOT NULL,
        outcome          text NOT NULL,
        http_status      integer,
        erp_code         text,
        erp_message      text,
        requested_at     timestamptz NOT NULL DEFAULT now(),
        caused_by        text NOT NULL
      );`,
  },
  {
    // The supplier's ERP sites (SupplierUpserted v2): an invoice is posted to the supplier's pay
    // site in its legal entity's business unit, not to one configured site for every supplier.
    id: '008-supplier-sites',
    sql: `ALTER TABLE suppliers ADD COLUMN sites jsonb NOT NULL DEFAULT '[]'::jsonb;`,
  },
  {
    // A correction after posting (ApInvoiceIntake): the posted invoice is cancelled (origin
    // FINMESH) and the corrected capture stored as a new invoice that records which one it
    // supersedes (one replacement per superseded invoice) and the invoice number it is posted to
    // the ERP with (null = the supplier's invoice number; a replacement carries a suffix, see
    // invoices/invoice-correction.ts); and why an invoice was cancelled (cancellation_reason: for
    // origin FINMESH, the superseding capture version).
    id: '009-correction-after-posting',
    sql: `
      ALTER TABLE invoices ADD COLUMN supersedes_invoice_id text REFERENCES invoices, ADD COLUMN erp_invoice_number text, ADD COLUMN cancellation_reason text;
      CREATE UNIQUE INDEX invoices_supersedes_invoice_id ON invoices (supersedes_invoice_id) WHERE supersedes_invoice_id IS NOT NULL;`,
  },
  {
    // The AP platform's own id of a captured invoice (Coupa's invoice `id`), which the write-back
    // of the invoice's fate addresses (write-back/ap-invoice-status.ts). A replacement keeps the id
    // of the AP invoice it was corrected from. Null for invoices that did not come from AP's API
    // (or were captured before this column): nothing is written back for them.
    id: '010-ap-invoice-id',
    sql: `ALTER TABLE invoices ADD COLUMN ap_invoice_id text;`,
  },
  {
    // The event version (occurredAt|eventId) of the revision held, for the contracts' one revision
    // rule: at the same revision the later event wins, as in reporting. Null for rows from before.
    id: '011-revision-versions',
    sql: `ALTER TABLE purchase_orders ADD COLUMN revision_version text;
          ALTER TABLE suppliers ADD COLUMN revision_version text;`,
  },
];
