import type { SchemaMigration } from '@finmesh/service-kit';

/**
 * po-sync tables. Quantities are numeric(19,4) and all arithmetic on them happens in SQL or with
 * exact decimals: a float would turn 0.1 + 0.2 received into 0.30000000000000004.
 * Ids are text: they come from other systems' events, and a malformed one must be refused by the
 * domain code with a reason, not by a uuid cast error.
 */
export const PO_SYNC_MIGRATIONS: readonly SchemaMigration[] = [
  {
    id: '001-purchase-orders',
    sql: `
      CREATE TABLE purchase_orders (
        purchase_order_id text PRIMARY KEY,
        po_number         text NOT NULL UNIQUE,
        supplier_id       text NOT NULL,
        legal_entity      jsonb NOT NULL,
        currency          text NOT NULL,
        status            text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
        revision          integer NOT NULL,
        order_date        date NOT NULL,
        buyer             text,
        payment_terms     jsonb,
        ship_to           jsonb,
        totals            jsonb NOT NULL,
        -- Hash of the mapped order: a re-send of the same revision is recognised as such.
        content_hash      text NOT NULL,
        close_reason      text,
        close_comment     text,
        closed_by         text,
        closed_at         timestamptz,
        source_updated_at timestamptz NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        last_event_id     uuid
      );
      CREATE TABLE purchase_order_lines (
        purchase_order_id text NOT NULL REFERENCES purchase_orders (purchase_order_id),
        line_number       integer NOT NULL,
        item_code         text,
        description       text NOT NULL,
        ordered_qty       numeric(19,4) NOT NULL,
        unit_of_measure   text NOT NULL,
        unit_price        numeric(19,6) NOT NULL,
        amount            numeric(19,4) NOT NULL,
        tax_code          text,
        cost_center       jsonb NOT NULL,
        gl_account        text,
        match_type        text NOT NULL CHECK (match_type IN ('TWO_WAY', 'THREE_WAY')),
        need_by_date      date,
        -- Maintained by receipts and invoice events only; a PO revision never writes them.
        received_qty      numeric(19,4) NOT NULL DEFAULT 0,
        invoiced_qty      numeric(19,4) NOT NULL DEFAULT 0,
        -- Absent from the latest revision. The row stays: goods may have been received against it.
        cancelled         boolean NOT NULL DEFAULT false,
        PRIMARY KEY (purchase_order_id, line_number)
      )`,
  },
  {
    id: '002-receipts',
    sql: `
      CREATE TABLE receipts (
        receipt_id        text PRIMARY KEY,
        purchase_order_id text NOT NULL REFERENCES purchase_orders (purchase_order_id),
        receipt_number    text,
        supplier_id       text NOT NULL,
        received_at       timestamptz NOT NULL,
        received_by       text,
        recorded_at       timestamptz NOT NULL DEFAULT now(),
        event_id          uuid NOT NULL
      );
      CREATE TABLE receipt_lines (
        receipt_id        text NOT NULL REFERENCES receipts (receipt_id),
        line_number       integer NOT NULL,
        quantity          numeric(19,4) NOT NULL,
        unit_of_measure   text NOT NULL,
        -- Accepted although the line's received quantity now exceeds the ordered quantity:
        -- recorded as it happened, flagged, and left to invoice matching (see receipts/receipt-checks.ts).
        over_receipt      boolean NOT NULL,
        PRIMARY KEY (receipt_id, line_number)
      );
      -- Receipts finmesh refused (unknown PO or line, closed PO...): the ops queue. Never dropped.
      CREATE TABLE parked_receipts (
        parked_id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        receipt_key       text NOT NULL,
        po_number         text,
        purchase_order_id text,
        payload           jsonb NOT NULL,
        reason            text NOT NULL,
        parked_at         timestamptz NOT NULL DEFAULT now(),
        resolved_at       timestamptz,
        resolution        text
      );
      -- A re-sent parked receipt updates its open entry instead of queueing a second copy.
      CREATE UNIQUE INDEX parked_receipts_open_key ON parked_receipts (receipt_key) WHERE resolved_at IS NULL`,
  },
  {
    id: '003-invoiced-quantities',
    sql: `
      -- Quantity each invoice accounts for per PO line. invoiced_qty on the line is their sum, so an
      -- invoice matched again (new event id, e.g. after a correction) replaces its contribution
      -- instead of adding to it.
      CREATE TABLE invoiced_quantities (
        purchase_order_id text NOT NULL REFERENCES purchase_orders (purchase_order_id),
        line_number       integer NOT NULL,
        invoice_id        text NOT NULL,
        quantity          numeric(19,4) NOT NULL,
        source            text NOT NULL CHECK (source IN ('MATCHED', 'OVERRIDE')),
        event_id          text NOT NULL,
        updated_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (purchase_order_id, line_number, invoice_id)
      );
      -- PO line quantities of captured invoices (InvoiceReceived), kept for OVERRIDE approvals:
      -- InvoiceApproved carries no line quantities.
      CREATE TABLE captured_invoice_lines (
        invoice_id        text NOT NULL,
        purchase_order_id text NOT NULL,
        line_number       integer NOT NULL,
        quantity          numeric(19,4) NOT NULL,
        event_id          text NOT NULL,
        PRIMARY KEY (invoice_id, line_number)
      )`,
  },
  {
    id: '004-erp-documents',
    sql: `
      -- The supplier as procurement names it at issue: its number is the ERP supplier number the
      -- ERP sync sends (supplier ids are name-based on it and cannot be turned back into it).
      ALTER TABLE purchase_orders ADD COLUMN supplier_number text, ADD COLUMN supplier_name text;
      -- What po-sync created in the ERP, one row per PO or receipt: the ERP's ids, or why it was not sent.
      CREATE TABLE erp_documents (
        document_kind     text NOT NULL CHECK (document_kind IN ('PURCHASE_ORDER', 'RECEIPT')),
        finmesh_id        text NOT NULL,
        purchase_order_id text NOT NULL,
        status            text NOT NULL CHECK (status IN ('CREATED', 'FOUND_EXISTING', 'NOT_SENT')),
        erp_id            text,
        erp_number        text,
        detail            text,
        event_id          text NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (document_kind, finmesh_id)
      );
      -- Journal of ERP calls: each attempt is committed BEFORE its first write call, so a crash or a
      -- rolled-back handler never hides that the ERP may already hold the document.
      CREATE TABLE erp_sync_attempts (
        document_kind     text NOT NULL,
        finmesh_id        text NOT NULL,
        attempt           integer NOT NULL,
        started_at        timestamptz NOT NULL DEFAULT now(),
        finished_at       timestamptz,
        outcome           text NOT NULL CHECK (outcome IN ('IN_FLIGHT', 'CREATED', 'FOUND_EXISTING', 'REJECTED', 'TRANSIENT_FAILED', 'AUTH_REFUSED', 'NOT_SENT')),
        http_status       integer,
        erp_code          text,
        erp_message       text,
        PRIMARY KEY (document_kind, finmesh_id, attempt)
      )`,
  },
  {
    // Supplier holds from supplier-sync (SupplierBlocked/Unblocked), and the documents po-sync
    // accepted while their supplier was blocked: the platform already holds them, so they are
    // taken, but flagged for ops and reporting.
    id: '005-supplier-blocks',
    sql: `
      CREATE TABLE supplier_blocks (
        supplier_id  text PRIMARY KEY,
        scope        text NOT NULL,
        reason_code  text NOT NULL,
        reason       text,
        blocked_by   text NOT NULL,
        blocked_at   timestamptz NOT NULL,
        event_id     text NOT NULL
      );
      CREATE TABLE blocked_supplier_documents (
        document_kind  text NOT NULL CHECK (document_kind IN ('purchase_order', 'receipt')),
        document_id    text NOT NULL,
        supplier_id    text NOT NULL,
        scope          text NOT NULL,
        reason_code    text NOT NULL,
        flagged_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (document_kind, document_id)
      );`,
  },
];
