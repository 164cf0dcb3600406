import type { ReportFilters } from './report-filters';

/** A report: a SQL query over the fact tables (search_path = the projector's schema), its columns and order. */
export interface ReportDefinition {
  readonly name: string;
  readonly description: string;
  /** Output columns, in CSV order. */
  readonly columns: readonly string[];
  readonly orderBy: string;
  query(filters: ReportFilters): { sql: string; params: unknown[] };
}

/**
 * Money out of the reports: exact decimal text at the contract's scale (Money is decimal(19,4));
 * GRNI (quantity x unit price) is rounded half away from zero to that scale.
 */
const MONEY = (expr: string) => `round(${expr}, 4)::text`;

class Conditions {
  private readonly parts: string[] = [];

  /** Conditions of one statement share its parameter list (placeholders number on). */
  constructor(readonly params: unknown[] = []) {}

  add(condition: (p: string) => string, value: unknown): this {
    this.params.push(value);
    this.parts.push(condition(`$${this.params.length}`));
    return this;
  }

  /** Adds the caller's legal-entity scope, then the legal-entity, supplier and period filters on the given columns. */
  standard(f: ReportFilters, cols: { legalEntity: string; supplier: string; day: string }): this {
    if (f.scope !== 'ALL') this.add((p) => `${cols.legalEntity} = ANY(${p}::text[])`, [...f.scope]);
    if (f.legalEntity) this.add((p) => `${cols.legalEntity} = ${p}`, f.legalEntity);
    if (f.supplier) this.add((p) => `${cols.supplier} = ${p}`, f.supplier);
    if (f.from) this.add((p) => `${cols.day} >= ${p}::date`, f.from);
    if (f.to) this.add((p) => `${cols.day} < ${p}::date + 1`, f.to);
    return this;
  }

  /** The conditions to append to an existing WHERE. */
  get and(): string {
    return this.parts.map((p) => ` AND ${p}`).join('');
  }
}

/** PO lines of each order's current revision (lines dropped by a later revision no longer count). */
const CURRENT_PO_LINES = `
  SELECT po.purchase_order_id, po.legal_entity, po.supplier_id, po.order_date, po.closed_at, l.line_number, l.cost_center,
         l.quantity, l.unit_price, l.amount, l.currency
    FROM purchase_orders po
    JOIN purchase_order_lines l ON l.purchase_order_id = po.purchase_order_id AND l.revision = po.revision
   WHERE po.order_date IS NOT NULL`;

/** Invoice lines of each invoice's latest capture, per PO line; a cancelled invoice invoices nothing. */
const INVOICED_PER_PO_LINE = `
  SELECT il.purchase_order_id, il.po_line_number, sum(il.quantity) AS quantity, sum(il.amount) AS amount
    FROM invoice_lines il JOIN invoices i ON i.invoice_id = il.invoice_id AND il.header_version = i.header_version
   WHERE il.purchase_order_id IS NOT NULL AND il.po_line_number IS NOT NULL AND i.document_type = 'INVOICE' AND i.cancelled_at IS NULL
   GROUP BY il.purchase_order_id, il.po_line_number`;

const RECEIVED_PER_PO_LINE = `
  SELECT purchase_order_id, po_line_number, sum(quantity_received) AS quantity, min(received_at) AS first_received_at
    FROM goods_receipt_lines GROUP BY purchase_order_id, po_line_number`;

/**
 * What each invoice has been paid: allocations of payments that were not voided, to invoices that
 * are posted. An allocation to an invoice not posted yet is parked and settles nothing (as in
 * invoice-sync); it counts once the invoice is posted. Decided when the report runs, so a rebuild
 * gives the same answer.
 */
const PAID_PER_INVOICE = `
  SELECT a.invoice_id, sum(a.amount) AS paid, min(p.released_at) AS paid_at, min(p.value_date) AS paid_value_date
    FROM payment_allocations a
    JOIN payments p ON p.payment_id = a.payment_id
    JOIN invoices pi ON pi.invoice_id = a.invoice_id AND pi.posted_at IS NOT NULL
   WHERE p.void_date IS NULL
   GROUP BY a.invoice_id`;

/** When an exception stopped being open: overridden, or the invoice matched or posted after it was raised. */
const EXCEPTION_RESOLVED_AT = `
  least(e.overridden_at,
        CASE WHEN i.matched_at > e.raised_at THEN i.matched_at END,
        CASE WHEN i.posted_at > e.raised_at THEN i.posted_at END)`;

/**
 * Whether the supplier is blocked now, and for what (supplier facts, joined when the report runs,
 * so a rebuild gives the same answer): POs and receipts of a blocked supplier are accepted (the
 * platform already holds them) and flagged here, as po-sync flags them for ops.
 */
const SUPPLIER_BLOCK = `coalesce(s.blocked, false) AS supplier_blocked, CASE WHEN s.blocked THEN s.block_scope END AS supplier_block_scope`;

export const COMMITTED_SPEND: ReportDefinition = {
  name: 'committed-spend',
  description:
    'Open purchase-order value (ordered minus invoiced, per line, never below zero) of open POs by legal entity, supplier, cost center and order month; supplier_blocked / supplier_block_scope flag spend with a supplier the ERP holds blocked now.',
  columns: ['legal_entity', 'supplier_id', 'supplier_name', 'cost_center', 'month', 'currency', 'open_amount', 'ordered_amount', 'purchase_orders', 'supplier_blocked', 'supplier_block_scope'],
  orderBy: 'month, legal_entity, supplier_id, cost_center, currency',
  query(f) {
    const c = new Conditions().standard(f, { legalEntity: 'cl.legal_entity', supplier: 'cl.supplier_id', day: 'cl.order_date' });
    return {
      params: c.params,
      sql: `
        SELECT cl.legal_entity, cl.supplier_id, s.legal_name AS supplier_name, cl.cost_center, to_char(cl.order_date, 'YYYY-MM') AS month, cl.currency,
               ${MONEY('sum(greatest(cl.amount - coalesce(inv.amount, 0), 0))')} AS open_amount, ${MONEY('sum(cl.amount)')} AS ordered_amount,
               count(DISTINCT cl.purchase_order_id)::int AS purchase_orders, ${SUPPLIER_BLOCK}
          FROM (${CURRENT_PO_LINES}) cl
          LEFT JOIN (${INVOICED_PER_PO_LINE}) inv ON inv.purchase_order_id = cl.purchase_order_id AND inv.po_line_number = cl.line_number
          LEFT JOIN suppliers s ON s.supplier_id = cl.supplier_id
          WHERE cl.closed_at IS NULL${c.and}
         GROUP BY cl.legal_entity, cl.supplier_id, s.legal_name, s.blocked, s.block_scope, cl.cost_center, to_char(cl.order_date, 'YYYY-MM'), cl.currency`,
    };
  },
};

const AGE_BUCKET = (days: string) => `CASE WHEN ${days} <= 30 THEN '0-30' WHEN ${days} <= 60 THEN '31-60' WHEN ${days} <= 90 THEN '61-90' ELSE '>90' END`;

export const LIABILITIES: ReportDefinition = {
  name: 'liabilities',
  description:
    'Accrued liabilities as of now: goods received not invoiced (GRNI, received minus invoiced quantity at the PO price) and approved or posted invoices not yet paid, by ageing bucket (days since receipt / invoice date); supplier_blocked / supplier_block_scope flag a supplier the ERP holds blocked now.',
  columns: ['category', 'legal_entity', 'supplier_id', 'supplier_name', 'currency', 'age_bucket', 'amount', 'documents', 'supplier_blocked', 'supplier_block_scope'],
  orderBy: 'category, legal_entity, supplier_id, currency, age_bucket',
  query(f) {
    const grni = new Conditions().standard(f, { legalEntity: 'cl.legal_entity', supplier: 'cl.supplier_id', day: 'rcv.first_received_at::date' });
    const unpaid = new Conditions(grni.params).standard(f, { legalEntity: 'i.legal_entity', supplier: 'i.supplier_id', day: 'i.invoice_date' });
    return {
      params: unpaid.params,
      sql: `
        SELECT 'GRNI' AS category, g.legal_entity, g.supplier_id, s.legal_name AS supplier_name, g.currency, g.age_bucket,
               ${MONEY('sum(g.amount)')} AS amount, count(DISTINCT g.purchase_order_id)::int AS documents, ${SUPPLIER_BLOCK}
          FROM (SELECT cl.legal_entity, cl.supplier_id, cl.currency, cl.purchase_order_id,
                       (rcv.quantity - coalesce(inv.quantity, 0)) * cl.unit_price AS amount,
                       ${AGE_BUCKET('(current_date - rcv.first_received_at::date)')} AS age_bucket
                  FROM (${CURRENT_PO_LINES}) cl
                  JOIN (${RECEIVED_PER_PO_LINE}) rcv ON rcv.purchase_order_id = cl.purchase_order_id AND rcv.po_line_number = cl.line_number
                  LEFT JOIN (${INVOICED_PER_PO_LINE}) inv ON inv.purchase_order_id = cl.purchase_order_id AND inv.po_line_number = cl.line_number
                  WHERE rcv.quantity > coalesce(inv.quantity, 0)${grni.and}) g
          LEFT JOIN suppliers s ON s.supplier_id = g.supplier_id
         GROUP BY g.legal_entity, g.supplier_id, s.legal_name, s.blocked, s.block_scope, g.currency, g.age_bucket
        UNION ALL
        SELECT 'UNPAID_INVOICE', i.legal_entity, i.supplier_id, s.legal_name, i.currency, ${AGE_BUCKET('(current_date - i.invoice_date)')},
               ${MONEY('sum(i.gross_amount - coalesce(p.paid, 0))')}, count(*)::int, ${SUPPLIER_BLOCK}
          FROM invoices i
          LEFT JOIN (${PAID_PER_INVOICE}) p ON p.invoice_id = i.invoice_id
          LEFT JOIN suppliers s ON s.supplier_id = i.supplier_id
         WHERE (i.approved_at IS NOT NULL OR i.posted_at IS NOT NULL) AND i.cancelled_at IS NULL AND i.gross_amount IS NOT NULL AND i.gross_amount > coalesce(p.paid, 0)
               ${unpaid.and}
         GROUP BY i.legal_entity, i.supplier_id, s.legal_name, s.blocked, s.block_scope, i.currency, ${AGE_BUCKET('(current_date - i.invoice_date)')}`,
    };
  },
};

export const EXCEPTIONS: ReportDefinition = {
  name: 'exceptions',
  description:
    'Invoice match exceptions by reason code: open ones by age (0-2, 3-7, 8-30, >30 days since raised) and resolution times of resolved ones (override, or a later match or posting), in hours.',
  columns: ['reason', 'legal_entity', 'open_count', 'age_0_2', 'age_3_7', 'age_8_30', 'age_over_30', 'oldest_open_days', 'resolved_count', 'resolution_hours_p50', 'resolution_hours_p90'],
  orderBy: 'reason, legal_entity',
  query(f) {
    const c = new Conditions().standard(f, { legalEntity: 'e.legal_entity', supplier: 'e.supplier_id', day: 'e.raised_at::date' });
    return {
      params: c.params,
      sql: `
        SELECT reason, legal_entity,
               count(*) FILTER (WHERE resolved_at IS NULL)::int AS open_count,
               count(*) FILTER (WHERE resolved_at IS NULL AND age_days <= 2)::int AS age_0_2,
               count(*) FILTER (WHERE resolved_at IS NULL AND age_days BETWEEN 3 AND 7)::int AS age_3_7,
               count(*) FILTER (WHERE resolved_at IS NULL AND age_days BETWEEN 8 AND 30)::int AS age_8_30,
               count(*) FILTER (WHERE resolved_at IS NULL AND age_days > 30)::int AS age_over_30,
               max(age_days) FILTER (WHERE resolved_at IS NULL)::int AS oldest_open_days,
               count(*) FILTER (WHERE resolved_at IS NOT NULL)::int AS resolved_count,
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_hours))::numeric, 1)::float8 AS resolution_hours_p50,
               round((percentile_cont(0.9) WITHIN GROUP (ORDER BY resolution_hours))::numeric, 1)::float8 AS resolution_hours_p90
          FROM (SELECT unnest(string_to_array(e.reason_codes, ',')) AS reason, e.legal_entity,
                       ${EXCEPTION_RESOLVED_AT} AS resolved_at,
                       extract(day FROM now() - e.raised_at)::int AS age_days,
                       extract(epoch FROM ${EXCEPTION_RESOLVED_AT} - e.raised_at) / 3600 AS resolution_hours
                  FROM match_exceptions e LEFT JOIN invoices i ON i.invoice_id = e.invoice_id
                  WHERE e.raised_at IS NOT NULL${c.and}) x
         GROUP BY reason, legal_entity`,
    };
  },
};

const P = (q: number, expr: string) => `round((percentile_cont(${q}) WITHIN GROUP (ORDER BY ${expr}))::numeric, 1)::float8`;
const HOURS = (a: string, b: string) => `extract(epoch FROM ${b} - ${a}) / 3600`;

export const PAYMENT_CYCLE: ReportDefinition = {
  name: 'payment-cycle',
  description:
    'Invoice cycle times in hours (received → matched → posted → paid, p50 and p90), on-time payment rate against the supplier terms (payment value date on or before invoice date + net days), and posting success rate, per legal entity; invoices received in the period.',
  columns: [
    'legal_entity', 'invoices', 'received_to_matched_p50_h', 'received_to_matched_p90_h', 'matched_to_posted_p50_h', 'matched_to_posted_p90_h',
    'posted_to_paid_p50_h', 'posted_to_paid_p90_h', 'received_to_paid_p50_h', 'received_to_paid_p90_h', 'paid_invoices', 'on_time_rate',
    'posting_attempts', 'posting_success_rate',
  ],
  orderBy: 'legal_entity',
  query(f) {
    const c = new Conditions().standard(f, { legalEntity: 'i.legal_entity', supplier: 'i.supplier_id', day: 'i.received_at::date' });
    return {
      params: c.params,
      sql: `
        SELECT legal_entity, count(*)::int AS invoices,
               ${P(0.5, HOURS('received_at', 'matched_at'))} AS received_to_matched_p50_h, ${P(0.9, HOURS('received_at', 'matched_at'))} AS received_to_matched_p90_h,
               ${P(0.5, HOURS('coalesce(matched_at, approved_at)', 'posted_at'))} AS matched_to_posted_p50_h,
               ${P(0.9, HOURS('coalesce(matched_at, approved_at)', 'posted_at'))} AS matched_to_posted_p90_h,
               ${P(0.5, HOURS('posted_at', 'paid_at'))} AS posted_to_paid_p50_h, ${P(0.9, HOURS('posted_at', 'paid_at'))} AS posted_to_paid_p90_h,
               ${P(0.5, HOURS('received_at', 'paid_at'))} AS received_to_paid_p50_h, ${P(0.9, HOURS('received_at', 'paid_at'))} AS received_to_paid_p90_h,
               count(paid_at)::int AS paid_invoices,
               round(avg(CASE WHEN paid_value_date IS NULL THEN NULL WHEN paid_value_date <= invoice_date + net_days THEN 1.0 ELSE 0.0 END), 4)::float8 AS on_time_rate,
               count(*) FILTER (WHERE posted_at IS NOT NULL OR posting_failed_at IS NOT NULL)::int AS posting_attempts,
               round(count(posted_at)::numeric / nullif(count(*) FILTER (WHERE posted_at IS NOT NULL OR posting_failed_at IS NOT NULL), 0), 4)::float8 AS posting_success_rate
          FROM (SELECT i.*, coalesce(s.net_days, i.terms_net_days, 30) AS net_days, pay.paid_at, pay.paid_value_date
                  FROM invoices i
                  LEFT JOIN suppliers s ON s.supplier_id = i.supplier_id
                  LEFT JOIN (${PAID_PER_INVOICE}) pay ON pay.invoice_id = i.invoice_id
                  WHERE i.received_at IS NOT NULL${c.and}) x
         GROUP BY legal_entity`,
    };
  },
};

export const FRESHNESS: ReportDefinition = {
  name: 'freshness',
  description:
    'Data freshness per domain and source platform: newest event time, its age, and the live projection latency (occurred → projected) p50/p99 over the last 24 hours. Consumer lag per partition is in the JSON `consumerLag`.',
  columns: ['domain', 'source_platform', 'newest_occurred_at', 'age_seconds', 'latency_p50_ms', 'latency_p99_ms', 'latency_samples'],
  orderBy: 'domain, source_platform',
  query() {
    return {
      params: [],
      sql: `
        SELECT f.domain, f.source_platform, to_char(f.newest AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS newest_occurred_at,
               round(extract(epoch FROM now() - f.newest))::bigint AS age_seconds,
               l.p50 AS latency_p50_ms, l.p99 AS latency_p99_ms, coalesce(l.samples, 0)::int AS latency_samples
          FROM (SELECT domain, source_platform, max(last_occurred_at) AS newest FROM event_freshness GROUP BY domain, source_platform) f
          LEFT JOIN (SELECT domain, source_platform, count(*) AS samples,
                            round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM projected_at - occurred_at) * 1000))::bigint AS p50,
                            round(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM projected_at - occurred_at) * 1000))::bigint AS p99
                       FROM projection_latency WHERE projected_at > now() - interval '24 hours' GROUP BY domain, source_platform) l
            ON l.domain = f.domain AND l.source_platform = f.source_platform`,
    };
  },
};

export const REPORTS: readonly ReportDefinition[] = [COMMITTED_SPEND, LIABILITIES, EXCEPTIONS, PAYMENT_CYCLE, FRESHNESS];
