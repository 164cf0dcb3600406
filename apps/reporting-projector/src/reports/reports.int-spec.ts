import type { INestApplication } from '@nestjs/common';
import type { EventName, SourcePlatform } from '@finmesh/contracts';
import { mintDevToken, type Role } from '@finmesh/service-kit';
import {
  createTestSchema,
  dropTestSchema,
  encodeHistory,
  eventBuilders as b,
  eventually,
  produceHistory,
  provisionTestNamespace,
  startServiceUnderTest,
  testCodec,
  testKafka,
  type HistoryEvent,
} from '@finmesh/testing';
import { ReportingProjectorService } from '../service';

const SECRET = 'reports-int-secret-0123456789abcdef';
const DAY = 86_400_000;
const DE01 = b.LEGAL_ENTITIES[0] as (typeof b.LEGAL_ENTITIES)[number];

/**
 * A small source-to-pay story with figures worked out by hand, projected by the real service
 * from real topics, read back through the reporting API in JSON and CSV.
 */
describe('reporting API', () => {
  jest.setTimeout(120_000);
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let schema: string;
  let app: INestApplication;
  let url: string;
  let reader: string;

  const now = Date.now();
  let n = 0;
  const env = (event: EventName, daysAgo: number, platform: SourcePlatform) =>
    b.envelope(event, `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, new Date(now - daysAgo * DAY), DE01, platform, 'corr-reports');
  const supplier = `SUP-R-${now}`;
  const po = `PO-R-${now}`;
  const lines = [
    { lineNumber: 1, quantity: 10, unitPriceCents: 10_000n, costCenter: 'CC-100' },
    { lineNumber: 2, quantity: 5, unitPriceCents: 2_000n, costCenter: 'CC-200' },
  ];
  const story: HistoryEvent[] = [
    { event: 'SupplierUpserted', key: supplier, value: b.supplierUpserted(env('SupplierUpserted', 40, 'ERP'), supplier, 1, 'Ledger Supplies GmbH', 'EUR', b.NET_30) },
    { event: 'PurchaseOrderIssued', key: po, value: b.purchaseOrderIssued(env('PurchaseOrderIssued', 30, 'PROCUREMENT'), po, supplier, '2026-03-10', 'EUR', lines) },
    { event: 'GoodsReceiptRecorded', key: po, value: b.goodsReceiptRecorded(env('GoodsReceiptRecorded', 20, 'PROCUREMENT'), po, `GR-${po}`, supplier, new Date(now - 20 * DAY), [{ lineNumber: 1, quantity: 10 }]) },
    // Invoice 1: 4 of line 1 (400.00), matched, approved, posted, unpaid.
    { event: 'InvoiceReceived', key: 'I1', value: b.invoiceReceived(env('InvoiceReceived', 15, 'AP_AUTOMATION'), `I1-${now}`, supplier, po, '2026-03-20', '2026-04-19', 'EUR', [{ ...lines[0], quantity: 4 } as (typeof lines)[number]]) },
    { event: 'InvoiceMatched', key: 'I1', value: b.invoiceMatched(env('InvoiceMatched', 14, 'FINMESH'), `I1-${now}`, supplier, po) },
    { event: 'InvoiceApproved', key: 'I1', value: b.invoiceApproved(env('InvoiceApproved', 14, 'FINMESH'), `I1-${now}`, []) },
    { event: 'InvoicePosted', key: 'I1', value: b.invoicePosted(env('InvoicePosted', 13, 'ERP'), `I1-${now}`, 'ERP-1', '2026-03-21', b.money(40_000n, 'EUR')) },
    // Invoice 2: line 2 (100.00), price variance raised 10 days ago, still open.
    { event: 'InvoiceReceived', key: 'I2', value: b.invoiceReceived(env('InvoiceReceived', 11, 'AP_AUTOMATION'), `I2-${now}`, supplier, po, '2026-03-25', '2026-04-24', 'EUR', [lines[1] as (typeof lines)[number]]) },
    { event: 'MatchExceptionRaised', key: 'I2', value: b.matchExceptionRaised(env('MatchExceptionRaised', 10, 'FINMESH'), `I2-${now}`, `00000000-0000-4000-9000-${String(now).slice(-12)}`, supplier, po, 'PRICE_VARIANCE') },
    // Invoice 1 was paid, but the ERP voided the payment: it is unpaid again.
    { event: 'PaymentReleased', key: `PAY-${now}`, value: b.paymentReleased(env('PaymentReleased', 9, 'ERP'), `PAY-${now}`, supplier, '2026-03-28', `I1-${now}`, b.money(40_000n, 'EUR')) },
    {
      event: 'PaymentVoided',
      key: `PAY-${now}`,
      value: { envelope: env('PaymentVoided', 8, 'ERP'), paymentId: `PAY-${now}`, supplierId: supplier, voidDate: '2026-03-29', amount: b.money(40_000n, 'EUR'), allocations: [{ invoiceId: `I1-${now}`, supplierInvoiceNumber: null, amount: b.money(40_000n, 'EUR'), discountTaken: null }], reason: null },
    },
    // Invoice 3: 2 of line 1, voided in AP before approval: it invoices nothing.
    { event: 'InvoiceReceived', key: 'I3', value: b.invoiceReceived(env('InvoiceReceived', 7, 'AP_AUTOMATION'), `I3-${now}`, supplier, po, '2026-03-26', '2026-04-25', 'EUR', [{ ...lines[0], quantity: 2 } as (typeof lines)[number]]) },
    // A payment allocated to invoice 2, which is not posted: parked, it pays nothing (payment cycle below).
    { event: 'PaymentReleased', key: `PAY2-${now}`, value: b.paymentReleased(env('PaymentReleased', 7, 'ERP'), `PAY2-${now}`, supplier, '2026-03-29', `I2-${now}`, b.money(10_000n, 'EUR')) },
    // The ERP blocked the supplier's purchasing since: its open spend is flagged.
    { event: 'SupplierBlocked', key: supplier, value: { ...b.supplierBlocked(env('SupplierBlocked', 5, 'ERP'), supplier), scope: 'PURCHASING' } },
    { event: 'InvoiceCancelled', key: 'I3', value: { envelope: env('InvoiceCancelled', 6, 'AP_AUTOMATION'), invoiceId: `I3-${now}`, origin: 'AP_PLATFORM', cancelledAt: new Date(now - 6 * DAY), erpDocumentId: null, reason: 'duplicate scan' } },
  ];

  const get = async (path: string, token = reader, accept = 'application/json') => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, accept } });
  const json = async (path: string) => (await (await get(path)).json()) as { rows: Record<string, unknown>[]; totalRows: number; consumerLag?: { totalLag: string } };

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    schema = await createTestSchema();
    ({ app, url } = await startServiceUnderTest(ReportingProjectorService, { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }));
    reader = await mintDevToken({ clientId: 'power-bi', roles: ['reporting-reader'], secret: SECRET });
    const keyed = story.map((s) => ({ ...s, key: /^I\d$/.test(s.key) ? `${s.key}-${now}` : s.key }));
    await produceHistory(testKafka(), await encodeHistory(testCodec(), keyed, ns.prefix));
    // Caught up = every partition's committed offset at its end (offsets commit after the rows do).
    await eventually('story projected', async () => (await json('/v1/reports/freshness')).consumerLag?.totalLag === '0', 60_000);
  });

  afterAll(async () => {
    await app?.close();
    await dropTestSchema(schema);
    await ns?.cleanup();
  });

  it('committed spend: ordered minus invoiced per open PO line, by cost center and month (a cancelled invoice invoices nothing)', async () => {
    const { rows } = await json(`/v1/reports/committed-spend?legalEntity=DE01&supplier=${supplier}`);
    expect(rows).toEqual([
      expect.objectContaining({ cost_center: 'CC-100', month: '2026-03', currency: 'EUR', open_amount: '600.0000', ordered_amount: '1000.0000', supplier_name: 'Ledger Supplies GmbH', supplier_blocked: true, supplier_block_scope: 'PURCHASING' }),
      expect.objectContaining({ cost_center: 'CC-200', month: '2026-03', currency: 'EUR', open_amount: '0.0000', ordered_amount: '100.0000', supplier_blocked: true }),
    ]);
  });

  it('liabilities: GRNI at the PO price and approved invoices not yet paid (a voided payment pays nothing), with ageing', async () => {
    const { rows } = await json(`/v1/reports/liabilities?supplier=${supplier}`);
    expect(rows).toEqual([
      expect.objectContaining({ category: 'GRNI', currency: 'EUR', age_bucket: '0-30', amount: '600.0000', documents: 1, supplier_blocked: true, supplier_block_scope: 'PURCHASING' }),
      expect.objectContaining({ category: 'UNPAID_INVOICE', currency: 'EUR', age_bucket: '>90', amount: '400.0000', documents: 1 }), // invoice dated 2026-03-20,
    ]);
  });

  it('exceptions: open by reason and age bucket', async () => {
    const { rows } = await json(`/v1/reports/exceptions?supplier=${supplier}`);
    expect(rows).toEqual([
      expect.objectContaining({ reason: 'PRICE_VARIANCE', legal_entity: 'DE01', open_count: 1, age_0_2: 0, age_3_7: 0, age_8_30: 1, age_over_30: 0, oldest_open_days: 10, resolved_count: 0 }),
    ]);
  });

  it('payment cycle: durations in hours and the posting success rate (a payment of an unposted invoice pays nothing)', async () => {
    const { rows } = await json(`/v1/reports/payment-cycle?supplier=${supplier}`);
    expect(rows).toEqual([
      expect.objectContaining({ legal_entity: 'DE01', invoices: 3, received_to_matched_p50_h: 24, matched_to_posted_p50_h: 24, posting_attempts: 1, posting_success_rate: 1, paid_invoices: 0 }),
    ]);
  });

  it('freshness: newest event per domain and platform, live latency and the consumer lag', async () => {
    const body = await json('/v1/reports/freshness');
    expect(body.rows.map((r) => `${String(r['domain'])}/${String(r['source_platform'])}`).sort()).toEqual(
      ['invoice/AP_AUTOMATION', 'invoice/ERP', 'invoice/FINMESH', 'payment/ERP', 'purchase-order/PROCUREMENT', 'supplier/ERP'].sort(),
    );
    expect(body.rows.every((r) => Number(r['latency_samples']) > 0)).toBe(true);
    expect(body.consumerLag?.totalLag).toBe('0');
  });

  it('exports reporting freshness per domain on /metrics', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    for (const domain of ['supplier', 'purchase-order', 'invoice']) {
      expect(metrics).toMatch(new RegExp(`finmesh_reporting_freshness_seconds\\{[^}]*domain="${domain}"[^}]*\\} \\d`));
    }
    expect(metrics).toMatch(/finmesh_events_consumed_total\{[^}]*outcome="applied"[^}]*\} [1-9]/);
  });

  it('CSV for analytics tools, same figures', async () => {
    const res = await get(`/v1/reports/committed-spend?supplier=${supplier}`, reader, 'text/csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('legal_entity,supplier_id,supplier_name,cost_center,month,currency,open_amount,ordered_amount,purchase_orders,supplier_blocked,supplier_block_scope');
    expect(lines[1]).toBe(`DE01,${supplier},Ledger Supplies GmbH,CC-100,2026-03,EUR,600.0000,1000.0000,1,true,PURCHASING`);
    expect(lines).toHaveLength(3);
  });

  it('filters and pages; bad parameters are named; other roles are refused', async () => {
    expect((await json(`/v1/reports/committed-spend?supplier=${supplier}&legalEntity=NL01`)).rows).toEqual([]);
    const paged = await json(`/v1/reports/committed-spend?supplier=${supplier}&pageSize=1&page=2`);
    expect(paged.totalRows).toBe(2);
    expect(paged.rows).toEqual([expect.objectContaining({ cost_center: 'CC-200' })]);
    const bad = await get('/v1/reports/committed-spend?period=2026-13&pageSize=0&colour=red');
    expect(bad.status).toBe(422);
    const problems = ((await bad.json()) as { problems: { path: string }[] }).problems.map((p) => p.path).sort();
    expect(problems).toEqual(['colour', 'pageSize', 'period']);
    const ap = await mintDevToken({ clientId: 'ap', roles: ['ap-platform' as Role], secret: SECRET });
    expect((await get('/v1/reports/committed-spend', ap)).status).toBe(403);
    expect((await get('/v1/reports/no-such-report')).status).toBe(404);
  });

  it('shows the cancellation and the voided payment on their rows', async () => {
    const cancelled = (await (await get(`/v1/reports/lineage/invoices/I3-${now}`)).json()) as { rows: { lastEvent: { eventType: string } }[] };
    expect(cancelled.rows[0]?.lastEvent.eventType).toBe('InvoiceCancelled');
    const voided = (await (await get(`/v1/reports/lineage/payments/PAY-${now}`)).json()) as { rows: { lastEvent: { eventType: string } }[] };
    expect(voided.rows[0]?.lastEvent.eventType).toBe('PaymentVoided');
  });

  it('lineage: each row names the event that last changed it', async () => {
    const res = await get(`/v1/reports/lineage/invoices/I1-${now}`);
    const body = (await res.json()) as { rows: { lastEvent: { eventType: string; topic: string; partition: number; offset: string } }[] };
    expect(body.rows[0]?.lastEvent).toEqual(expect.objectContaining({ eventType: 'InvoicePosted', topic: `${ns.prefix}finmesh.invoice.v1` }));
    expect(body.rows[0]?.lastEvent.offset).toMatch(/^\d+$/);
  });

  it('shows a reader only the legal entities its token names: reports, CSV and lineage', async () => {
    const nlReader = await mintDevToken({ clientId: 'power-bi-nl', roles: ['reporting-reader'], secret: SECRET, legalEntities: ['NL01'] });
    const deReader = await mintDevToken({ clientId: 'power-bi-de', roles: ['reporting-reader'], secret: SECRET, legalEntities: ['DE01'] });
    const rowsFor = async (token: string, report: string) => ((await (await get(`/v1/reports/${report}?supplier=${supplier}`, token)).json()) as { rows: unknown[] }).rows;
    for (const report of ['committed-spend', 'liabilities', 'exceptions']) {
      expect({ report, rows: await rowsFor(nlReader, report) }).toEqual({ report, rows: [] });
      expect((await rowsFor(deReader, report)).length).toBeGreaterThan(0);
    }
    const csv = await (await get(`/v1/reports/committed-spend?supplier=${supplier}`, nlReader, 'text/csv')).text();
    expect(csv.trim().split('\r\n')).toHaveLength(1);
    // Asking for another entity by name gives nothing either.
    expect(((await (await get(`/v1/reports/committed-spend?legalEntity=DE01&supplier=${supplier}`, nlReader)).json()) as { rows: unknown[] }).rows).toEqual([]);
    expect((await get(`/v1/reports/lineage/invoices/I1-${now}`, nlReader)).status).toBe(404);
    expect((await get(`/v1/reports/lineage/invoice_lines/I1-${now}`, nlReader)).status).toBe(404);
    expect((await get(`/v1/reports/lineage/invoice_lines/I1-${now}`, deReader)).status).toBe(200);
    // A token without the claim reads nothing.
    const unscoped = await mintDevToken({ clientId: 'legacy-bi', roles: ['reporting-reader'], secret: SECRET, legalEntities: null });
    expect(await rowsFor(unscoped, 'committed-spend')).toEqual([]);
  });
});
