import type { ColumnSpec, ColumnType, TableSpec } from '@finmesh/projection';
import { LINEAGE_COLUMNS } from './lineage';

const cols = (spec: Record<string, ColumnType>): ColumnSpec[] => Object.entries(spec).map(([name, type]) => ({ name, type }));

/**
 * The reporting read models are FACT tables, one row per business document (line), each kept
 * order-independent (see merge-rules.ts). The reports (committed spend, liabilities, exceptions,
 * cycle times) are queries over them, so a new report needs no re-projection.
 * Money is `numeric` with its currency beside it; never a float.
 */
export const SUPPLIERS: TableSpec = {
  name: 'suppliers',
  primaryKey: ['supplier_id'],
  columns: [
    ...cols({
      supplier_id: 'text', legal_name: 'text', status: 'text', payment_terms_code: 'text', net_days: 'int', default_currency: 'text',
      revision: 'bigint', profile_version: 'text', blocked: 'boolean', block_scope: 'text', block_reason_code: 'text', block_version: 'text',
    }),
    ...LINEAGE_COLUMNS,
  ],
};

export const PURCHASE_ORDERS: TableSpec = {
  name: 'purchase_orders',
  primaryKey: ['purchase_order_id'],
  indexes: [['legal_entity', 'supplier_id']],
  columns: [
    ...cols({
      purchase_order_id: 'text', po_number: 'text', supplier_id: 'text', legal_entity: 'text', currency: 'text', order_date: 'date', issued_version: 'text',
      revision: 'bigint', revision_version: 'text', net_days: 'int', total_net: 'numeric', total_gross: 'numeric',
      closed_at: 'timestamptz', close_reason: 'text', close_version: 'text',
    }),
    ...LINEAGE_COLUMNS,
  ],
};

export const PURCHASE_ORDER_LINES: TableSpec = {
  name: 'purchase_order_lines',
  primaryKey: ['purchase_order_id', 'line_number'],
  columns: [
    ...cols({
      purchase_order_id: 'text', line_number: 'int', revision: 'bigint', revision_version: 'text', description: 'text', quantity: 'numeric',
      unit_price: 'numeric', amount: 'numeric', currency: 'text', cost_center: 'text', gl_account: 'text', match_type: 'text',
    }),
    ...LINEAGE_COLUMNS,
  ],
};

export const GOODS_RECEIPT_LINES: TableSpec = {
  name: 'goods_receipt_lines',
  primaryKey: ['receipt_id', 'po_line_number'],
  indexes: [['purchase_order_id']],
  columns: [
    ...cols({
      receipt_id: 'text', po_line_number: 'int', purchase_order_id: 'text', supplier_id: 'text', legal_entity: 'text', quantity_received: 'numeric',
      unit_of_measure: 'text', received_at: 'timestamptz', version: 'text',
    }),
    ...LINEAGE_COLUMNS,
  ],
};

export const INVOICES: TableSpec = {
  name: 'invoices',
  primaryKey: ['invoice_id'],
  indexes: [['legal_entity', 'supplier_id']],
  columns: [
    ...cols({
      invoice_id: 'text', supplier_id: 'text', supplier_invoice_number: 'text', legal_entity: 'text', document_type: 'text', currency: 'text',
      invoice_date: 'date', due_date: 'date', purchase_order_id: 'text', net_amount: 'numeric', tax_amount: 'numeric', gross_amount: 'numeric',
      terms_net_days: 'int', header_version: 'text',
      received_at: 'timestamptz', received_version: 'text',
      matched_at: 'timestamptz', match_type: 'text', matched_version: 'text',
      approved_at: 'timestamptz', approval_mode: 'text', approved_version: 'text',
      posted_at: 'timestamptz', erp_document_id: 'text', posted_amount: 'numeric', accounting_date: 'date', posted_version: 'text',
      posting_failed_at: 'timestamptz', posting_failure_class: 'text', posting_failure_code: 'text', posting_failed_version: 'text',
      erp_validation_status: 'text', erp_holds: 'text', erp_validation_version: 'text',
      cancelled_at: 'timestamptz', cancellation_origin: 'text', cancelled_version: 'text',
    }),
    ...LINEAGE_COLUMNS,
  ],
};

export const INVOICE_LINES: TableSpec = {
  name: 'invoice_lines',
  primaryKey: ['invoice_id', 'line_number'],
  indexes: [['purchase_order_id', 'po_line_number']],
  columns: [
    ...cols({
      invoice_id: 'text', line_number: 'int', purchase_order_id: 'text', po_line_number: 'int', quantity: 'numeric', amount: 'numeric',
      currency: 'text', cost_center: 'text', header_version: 'text',
    }),
    ...LINEAGE_COLUMNS,
  ],
};

export const MATCH_EXCEPTIONS: TableSpec = {
  name: 'match_exceptions',
  primaryKey: ['exception_id'],
  indexes: [['invoice_id']],
  columns: [
    ...cols({
      exception_id: 'text', invoice_id: 'text', supplier_id: 'text', legal_entity: 'text', purchase_order_id: 'text', reason_codes: 'text',
      raised_at: 'timestamptz', raised_version: 'text', overridden_at: 'timestamptz', overridden_by: 'text', override_version: 'text',
    }),
    ...LINEAGE_COLUMNS,
  ],
};

export const PAYMENTS: TableSpec = {
  name: 'payments',
  primaryKey: ['payment_id'],
  columns: [
    ...cols({
      payment_id: 'text', payment_run_id: 'text', supplier_id: 'text', legal_entity: 'text', amount: 'numeric', currency: 'text', method: 'text',
      value_date: 'date', released_at: 'timestamptz', released_version: 'text', confirmed_at: 'timestamptz', confirmed_version: 'text',
      void_date: 'date', voided_version: 'text',
    }),
    ...LINEAGE_COLUMNS,
  ],
};

export const PAYMENT_ALLOCATIONS: TableSpec = {
  name: 'payment_allocations',
  primaryKey: ['payment_id', 'invoice_id'],
  indexes: [['invoice_id']],
  columns: [...cols({ payment_id: 'text', invoice_id: 'text', amount: 'numeric', currency: 'text', discount_amount: 'numeric', version: 'text' }), ...LINEAGE_COLUMNS],
};

/**
 * Newest event per topic partition, platform and event type. Keyed by partition because a
 * partition is applied by one consumer transaction at a time: no two transactions fight over a row.
 */
export const EVENT_FRESHNESS: TableSpec = {
  name: 'event_freshness',
  primaryKey: ['topic', 'partition', 'source_platform', 'event_type'],
  columns: [...cols({ topic: 'text', partition: 'int', source_platform: 'text', event_type: 'text', domain: 'text' }), ...LINEAGE_COLUMNS],
};

/**
 * How late the live projection applied each event (occurred → projected). An observation of the
 * live system, not a function of the history: a rebuild keeps it as it is.
 */
export const PROJECTION_LATENCY: TableSpec = {
  name: 'projection_latency',
  primaryKey: ['event_id'],
  indexes: [['projected_at']],
  observational: true,
  columns: cols({ event_id: 'text', domain: 'text', source_platform: 'text', event_type: 'text', occurred_at: 'timestamptz', projected_at: 'timestamptz' }),
};

export const REPORTING_TABLES: readonly TableSpec[] = [
  SUPPLIERS,
  PURCHASE_ORDERS,
  PURCHASE_ORDER_LINES,
  GOODS_RECEIPT_LINES,
  INVOICES,
  INVOICE_LINES,
  MATCH_EXCEPTIONS,
  PAYMENTS,
  PAYMENT_ALLOCATIONS,
  EVENT_FRESHNESS,
  PROJECTION_LATENCY,
];
