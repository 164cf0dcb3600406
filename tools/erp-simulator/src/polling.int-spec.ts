import { startErpSimulator, type ErpSimulator } from './server';
import { simClient } from './testing/sim-client';

// What a poller sees: suppliers with sites, q filters on LastUpdateDate, orderBy, paging, late-committed rows, read faults.

interface Page {
  items: Array<Record<string, unknown>>;
  count: number;
  hasMore: boolean;
  limit: number;
  offset: number;
}

const supplier = (n: number, extra: Record<string, unknown> = {}) => ({
  SupplierNumber: `S-${n}`,
  Supplier: `Supplier ${n} GmbH`,
  TaxpayerCountry: 'DE',
  sites: [{ SupplierSite: 'MAIN', ProcurementBU: 'DE Business Unit', SitePurposePayFlag: true, SitePurposePurchasingFlag: true, PaymentTerms: 'Net 30', InvoiceCurrencyCode: 'EUR' }],
  ...extra,
});

describe('ERP simulator polled resources (real HTTP)', () => {
  let sim: ErpSimulator;
  let c: ReturnType<typeof simClient>;
  beforeAll(async () => {
    sim = await startErpSimulator({ hangMs: 200 });
    c = simClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await c.admin('POST', '/reset');
  });

  it('loads suppliers with sites through the admin API and serves them with expand and the sites child', async () => {
    const created = await c.admin<Record<string, unknown>>('POST', '/suppliers', supplier(1, { LastUpdateDate: '2025-03-01T10:00:00.000Z', addresses: [{ AddressName: 'HQ', City: 'Berlin', CountryCode: 'DE' }] }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ SupplierId: expect.any(Number), SupplierNumber: 'S-1', Supplier: 'Supplier 1 GmbH', LastUpdateDate: '2025-03-01T10:00:00.000Z' });
    const id = created.body['SupplierId'] as number;
    const sites = created.body['sites'] as Array<Record<string, unknown>>;
    expect(sites).toEqual([expect.objectContaining({ SupplierSiteId: expect.any(Number), SupplierSite: 'MAIN', SitePurposePayFlag: true, LastUpdateDate: '2025-03-01T10:00:00.000Z' })]);

    const plain = await c.api<Record<string, unknown>>('GET', `/suppliers/${id}`);
    expect(plain.body).not.toHaveProperty('sites');
    expect((await c.api<Record<string, unknown>>('GET', `/suppliers/${id}?expand=sites,addresses`)).body).toMatchObject({ sites, addresses: [expect.objectContaining({ AddressName: 'HQ' })] });
    expect((await c.api<Page>('GET', `/suppliers/${id}/child/sites`)).body.items).toEqual(sites);
    expect((await c.api('GET', `/suppliers/${id}/child/sites/${sites[0]!['SupplierSiteId'] as number}`)).body).toEqual(sites[0]);
    expect((await c.api<Page>('GET', `/suppliers/${id}/child/addresses`)).body.items).toHaveLength(1);

    // An update merges by SupplierNumber and site name, and moves LastUpdateDate.
    const updated = await c.admin<Record<string, unknown>>('POST', '/suppliers', { SupplierNumber: 'S-1', sites: [{ SupplierSite: 'MAIN', HoldAllPaymentsFlag: true }, { SupplierSite: 'MUC', SitePurposePayFlag: false }] });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ SupplierId: id, Supplier: 'Supplier 1 GmbH' });
    expect((updated.body['LastUpdateDate'] as string) > '2025-03-01T10:00:00.000Z').toBe(true);
    expect((updated.body['sites'] as Array<Record<string, unknown>>).map((s) => [s['SupplierSite'], s['SupplierSiteId'] === sites[0]!['SupplierSiteId'], s['HoldAllPaymentsFlag'] ?? null])).toEqual([
      ['MAIN', true, true],
      ['MUC', false, null],
    ]);
    expect((await c.admin('POST', '/suppliers', { Supplier: 'no number' })).status).toBe(400);
  });

  it('filters on LastUpdateDate (> and >=, AND, key equality), orders by it and pages with limit/offset/hasMore', async () => {
    for (let i = 1; i <= 5; i++) await c.admin('POST', '/suppliers', supplier(i, { LastUpdateDate: `2025-03-01T10:00:0${i}.000Z` }));
    // A row committed late with an earlier timestamp than the newest one.
    await c.admin('POST', '/suppliers', supplier(6, { LastUpdateDate: '2025-03-01T10:00:02.500Z' }));

    const window = "q=LastUpdateDate > '2025-03-01T10:00:02.000Z'&orderBy=LastUpdateDate:asc&limit=2";
    const first = await c.api<Page>('GET', `/suppliers?${window}`);
    expect(first.body).toMatchObject({ count: 2, hasMore: true, limit: 2, offset: 0 });
    expect(first.body.items.map((s) => s['SupplierNumber'])).toEqual(['S-6', 'S-3']);
    const second = await c.api<Page>('GET', `/suppliers?${window}&offset=2`);
    expect(second.body.items.map((s) => s['SupplierNumber'])).toEqual(['S-4', 'S-5']);
    expect(second.body.hasMore).toBe(false);

    const inclusive = await c.api<Page>('GET', "/suppliers?q=LastUpdateDate >= '2025-03-01T10:00:02.000Z' AND LastUpdateDate < '2025-03-01T10:00:04Z'&orderBy=LastUpdateDate");
    expect(inclusive.body.items.map((s) => s['SupplierNumber'])).toEqual(['S-2', 'S-6', 'S-3']);
    const byKey = await c.api<Page>('GET', "/suppliers?q=SupplierNumber='S-4'");
    expect(byKey.body.items).toHaveLength(1);
    expect((await c.api<Page>('GET', '/suppliers?orderBy=LastUpdateDate:desc&limit=1')).body.items[0]?.['SupplierNumber']).toBe('S-5');
    expect((await c.api<Page>('GET', '/suppliers?expand=sites&limit=1')).body.items[0]?.['sites']).toHaveLength(1);
    const refused = await c.api('GET', "/suppliers?q=SupplierNumber='S-1' OR SupplierNumber='S-2'");
    expect(refused).toMatchObject({ status: 400, body: { 'o:errorDetails': [{ 'o:errorCode': 'INVALID_QUERY' }] } });
  });

  it('carries LastUpdateDate on every polled resource and moves it on every change', async () => {
    const created = (await c.api<Record<string, unknown>>('POST', '/invoices', { InvoiceNumber: 'INV-P1', InvoiceCurrency: 'EUR', InvoiceAmount: '1', InvoiceDate: '2025-03-01', BusinessUnit: 'BU', SupplierNumber: 'S-1', SupplierSite: 'MAIN' })).body;
    const before = created['LastUpdateDate'] as string;
    await new Promise((r) => setTimeout(r, 5));
    await c.api('POST', '/invoices/action/cancelInvoice', { InvoiceNumber: 'INV-P1' });
    const changed = (await c.api<Page>('GET', `/invoices?q=LastUpdateDate > '${before}'`)).body.items;
    expect(changed.map((i) => [i['InvoiceNumber'], i['ValidationStatus']])).toEqual([['INV-P1', 'Canceled']]);
  });

  it('answers the next N reads of a resource with an injected 5xx, 429 or timeout, leaving other resources alone', async () => {
    await c.admin('POST', '/suppliers', supplier(1));
    expect((await c.admin('POST', '/faults', { kind: 'http-5xx', resource: 'suppliers', times: 2 })).body).toMatchObject({ resource: 'suppliers', method: 'GET', remaining: 2 });
    expect((await c.api('GET', '/payablesPayments')).status).toBe(200);
    expect((await c.api('GET', '/suppliers?limit=1')).status).toBe(503);
    expect((await c.api('GET', '/suppliers/1/child/sites')).status).toBe(503);
    expect((await c.api('GET', '/suppliers')).status).toBe(200);

    await c.admin('POST', '/faults', { kind: 'http-429', resource: 'payablesPayments', retryAfterSeconds: 7 });
    const limited = await c.api('GET', '/payablesPayments');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body).toMatchObject({ title: 'Too Many Requests', 'o:errorDetails': [{ 'o:errorCode': 'TOO_MANY_REQUESTS' }] });

    await c.admin('POST', '/faults', { kind: 'timeout', resource: 'invoices', hangMs: 100 });
    await expect(c.api('GET', '/invoices')).rejects.toThrow();
    expect((await c.api('GET', '/invoices')).status).toBe(200);

    // Authentication comes first: an unauthenticated read does not use up the fault.
    await c.admin('POST', '/faults', { kind: 'http-5xx', resource: 'invoiceHolds', status: 500 });
    expect((await simClient(sim, null).api('GET', '/invoiceHolds')).status).toBe(401);
    expect((await c.api('GET', '/invoiceHolds')).status).toBe(500);
    const calls = (await c.admin<{ items: Array<{ status: number }> }>('GET', '/calls?path=/invoices')).body.items;
    expect(calls.map((x) => x.status)).toEqual([0, 200]);
  });
});
