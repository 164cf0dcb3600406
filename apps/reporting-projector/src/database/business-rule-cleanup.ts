import { ISO_4217_CODES } from '@finmesh/contracts';

/**
 * Removes the read-model rows that the events' business rules (schemas/business-rules.json) now
 * forbid, and reports each removal in `business_rule_removals`. Before the rules, consumers
 * stored events such as a PO in currency ZZZ with an ordered amount of -30; today the live
 * consumer dead-letters such an event and a rebuild leaves it out, so its rows must go from the
 * live tables too, or a rebuild and the live tables would disagree.
 *
 * An event that breaks a rule is refused whole, so the unit of removal is the aggregate the
 * event wrote: a PO with its lines, an invoice with its lines, a payment with its allocations.
 * What the clean-up cannot do is bring back an earlier revision that a refused change had
 * overwritten; the removal report names such aggregates, and `finmesh projector rebuild` restores
 * them from history.
 *
 * The rules the read models can break are the ones their columns hold: ISO 4217 currencies,
 * non-negative order and payment amounts, a payment with at least one allocation, ids of 1 to 200
 * characters. The currency list is the runtime's (ISO_4217_CODES), as the codec's check uses.
 */
const currencies = `ARRAY[${ISO_4217_CODES.map((c) => `'${c}'`).join(',')}]::text[]`;
const badCurrency = (column: string) => `(${column} IS NOT NULL AND NOT (${column} = ANY (${currencies})))`;
const badId = (column: string) => `(${column} IS NOT NULL AND length(${column}) NOT BETWEEN 1 AND 200)`;

/** One aggregate kind: its header table, the child tables keyed by the same id, and what breaks a rule. */
interface AggregateCleanup {
  readonly header: string;
  readonly key: string;
  readonly children: readonly string[];
  /** SQL conditions on the header row (alias h), each named by the rule it stands for. */
  readonly headerRules: Readonly<Record<string, string>>;
  /** SQL conditions on a child row (alias c), by child table. */
  readonly childRules: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const AGGREGATES: readonly AggregateCleanup[] = [
  {
    header: 'suppliers',
    key: 'supplier_id',
    children: [],
    headerRules: { 'finmesh.supplier.SupplierUpserted.defaultCurrency format': badCurrency('h.default_currency'), 'finmesh.supplier.SupplierUpserted.supplierId minLength/maxLength': badId('h.supplier_id') },
    childRules: {},
  },
  {
    header: 'purchase_orders',
    key: 'purchase_order_id',
    children: ['purchase_order_lines'],
    headerRules: {
      'finmesh.purchaseorder.PurchaseOrderIssued.currency format': badCurrency('h.currency'),
      'finmesh.purchaseorder.PurchaseOrderIssued.totals.net.amount minimum': 'h.total_net < 0',
      'finmesh.purchaseorder.PurchaseOrderIssued.totals.gross.amount minimum': 'h.total_gross < 0',
      'finmesh.purchaseorder.PurchaseOrderIssued.purchaseOrderId minLength/maxLength': badId('h.purchase_order_id'),
    },
    childRules: {
      purchase_order_lines: {
        'finmesh.common.PurchaseOrderLine.quantity minimum': 'c.quantity < 0',
        'finmesh.common.PurchaseOrderLine.unitPrice.amount minimum': 'c.unit_price < 0',
        'finmesh.common.PurchaseOrderLine.amount.amount minimum': 'c.amount < 0',
        'finmesh.common.Money.currency format': badCurrency('c.currency'),
      },
    },
  },
  {
    header: 'invoices',
    key: 'invoice_id',
    children: ['invoice_lines'],
    headerRules: { 'finmesh.invoice.InvoiceReceived.currency format': badCurrency('h.currency'), 'finmesh.invoice.InvoiceReceived.invoiceId minLength/maxLength': badId('h.invoice_id') },
    childRules: { invoice_lines: { 'finmesh.common.Money.currency format': badCurrency('c.currency') } },
  },
  {
    header: 'payments',
    key: 'payment_id',
    children: ['payment_allocations'],
    headerRules: {
      'finmesh.common.Money.currency format': badCurrency('h.currency'),
      'finmesh.payment.PaymentReleased.amount.amount minimum': 'h.amount < 0',
      'finmesh.payment.PaymentReleased.allocations minItems': 'NOT EXISTS (SELECT 1 FROM payment_allocations a WHERE a.payment_id = h.payment_id)',
      'finmesh.payment.PaymentReleased.paymentId minLength/maxLength': badId('h.payment_id'),
    },
    childRules: { payment_allocations: { 'finmesh.common.Money.currency format': badCurrency('c.currency'), 'finmesh.common.PaymentAllocation.invoiceId minLength/maxLength': badId('c.invoice_id') } },
  },
];

function cleanupSql(a: AggregateCleanup): string {
  // Every aggregate id with the first rule it breaks, on the header or on any child row.
  const reasons = [
    ...Object.entries(a.headerRules).map(([rule, condition]) => `SELECT h.${a.key} AS id, '${rule}' AS rule FROM ${a.header} h WHERE ${condition}`),
    ...Object.entries(a.childRules).flatMap(([child, rules]) =>
      Object.entries(rules).map(([rule, condition]) => `SELECT c.${a.key} AS id, '${rule}' AS rule FROM ${child} c WHERE ${condition}`),
    ),
  ].join('\n    UNION ALL ');
  const tables = [a.header, ...a.children];
  return [
    `CREATE TEMP TABLE breached_${a.header} ON COMMIT DROP AS SELECT id, min(rule) AS rule FROM (\n    ${reasons}\n  ) found GROUP BY id`,
    ...tables.map(
      (t) => `INSERT INTO business_rule_removals (table_name, aggregate_id, rule, row_data)
  SELECT '${t}', t.${a.key}, b.rule, to_jsonb(t) FROM ${t} t JOIN breached_${a.header} b ON b.id = t.${a.key}`,
    ),
    ...tables.map((t) => `DELETE FROM ${t} t USING breached_${a.header} b WHERE b.id = t.${a.key}`),
  ].join(';\n');
}

/** The migration: the report table, then each aggregate's clean-up, in one transaction. */
export const BUSINESS_RULE_CLEANUP_SQL = [
  `CREATE TABLE IF NOT EXISTS business_rule_removals (
  table_name text NOT NULL, aggregate_id text, rule text NOT NULL, row_data jsonb NOT NULL, removed_at timestamptz NOT NULL DEFAULT now()
)`,
  ...AGGREGATES.map(cleanupSql),
].join(';\n');
