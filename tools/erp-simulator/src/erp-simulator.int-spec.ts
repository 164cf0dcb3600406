import { startErpSimulator, FUSION_BASE_PATH, type ErpSimulator } from './server';
import { DEV_BASIC, invoiceBody as invoice, simClient } from './testing/sim-client';

// Real HTTP on 127.0.0.1: invoice creation, lookups and the faults that matter for posting.
// Payments, auth, polling, the invoice life cycle and purchasing have their own specs.

const HANG_MS = 300;

describe('ERP simulator: invoices and faults (real HTTP)', () => {
  let sim: ErpSimulator;
  let c: ReturnType<typeof simClient>;
  const api = (path: string) => `${sim.url}${FUSION_BASE_PATH}${path}`;
  const postInvoice = (body: unknown, key = 'idem-1') => c.api('POST', '/invoices', body, { 'Idempotency-Key': key });
  const postings = async () => (await c.admin<{ items: Array<Record<string, unknown>> }>('GET', '/postings')).body.items;

  beforeAll(async () => {
    sim = await startErpSimulator({ port: 0, hangMs: HANG_MS });
    c = simClient(sim);
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await c.admin('POST', '/reset');
  });

  it('answers health', async () => {
    const res = await c.admin('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'UP', purchaseOrderCheck: 'enforce' });
  });

  it('posts an invoice: 201 with the created invoice (Not validated), and stores it with its idempotency key', async () => {
    const res = await postInvoice(invoice('INV-100'), 'key-100');
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/vnd.oracle.adf.resourceitem+json');
    const created = res.body;
    expect(created).toMatchObject({
      InvoiceId: expect.any(Number),
      InvoiceNumber: 'INV-100',
      InvoiceAmount: '1210.00',
      ValidationStatus: 'Not validated',
      AccountingDocumentNumber: expect.stringMatching(/^AP-2025-\d+$/),
      AccountingDate: '2025-03-14',
      CreatedBy: 'finmesh',
      LastUpdateDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      invoiceLines: [
        expect.objectContaining({ LineNumber: 1, LineType: 'Item', LineAmount: '1000.00', invoiceDistributions: [expect.objectContaining({ DistributionCombination: '01-000-7640-0000-000' })] }),
        expect.objectContaining({ LineNumber: 2, LineAmount: '210.00' }),
      ],
    });
    expect(created).not.toHaveProperty('idempotencyKey');
    expect(res.headers.get('location')).toBe(api(`/invoices/${created['InvoiceId']}`));

    const stored = await postings();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ InvoiceId: created['InvoiceId'], idempotencyKey: 'key-100', outcome: 'acknowledged', InvoiceAmount: '1210.00', requestBody: invoice('INV-100') });
    expect(typeof stored[0]?.['receivedAt']).toBe('string');
  });

  it("accepts Oracle's all-strings example shape (LineNumber \"1\", amounts as strings)", async () => {
    const res = await postInvoice(
      invoice('1000183-3', {
        InvoiceAmount: '130.80',
        invoiceLines: [
          { LineNumber: '1', LineType: 'Item', Quantity: '1', UnitPrice: '100.25', LineAmount: '100.25', DistributionCombination: '01-000-7640-0000-000' },
          { LineNumber: '2', LineType: 'Freight', LineAmount: '30.55' },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body['invoiceLines']).toEqual([
      expect.objectContaining({ LineNumber: 1, Quantity: '1.00', UnitPrice: '100.25', LineAmount: '100.25' }),
      expect.objectContaining({ LineNumber: 2, LineType: 'Freight', LineAmount: '30.55' }),
    ]);
  });

  it('does not de-duplicate: the same Idempotency-Key twice makes two postings', async () => {
    const first = (await postInvoice(invoice('INV-200'), 'same-key')).body;
    const second = (await postInvoice(invoice('INV-200'), 'same-key')).body;
    expect(second['InvoiceId']).not.toBe(first['InvoiceId']);
    expect(second['AccountingDocumentNumber']).not.toBe(first['AccountingDocumentNumber']);
    expect((await postings()).map((p) => p['idempotencyKey'])).toEqual(['same-key', 'same-key']);
  });

  it('rejects missing fields with a Fusion error body naming each one', async () => {
    const res = await postInvoice(invoice('INV-300', { InvoiceCurrency: undefined, InvoiceAmount: 'twelve', SupplierSite: '' }));
    expect(res.status).toBe(400);
    const body = res.body as { title: string; status: string; 'o:errorDetails': Array<Record<string, string>> };
    expect(body.title).toBe('Bad Request');
    expect(body.status).toBe('400');
    expect(body['o:errorDetails'].map((d) => d['o:errorPath'])).toEqual(['InvoiceCurrency', 'InvoiceAmount', 'SupplierSite']);
    expect(body['o:errorDetails'][0]).toMatchObject({ 'o:errorCode': 'FND_REST_REQUIRED_ATTR' });
    expect(await postings()).toHaveLength(0);
  });

  it('refuses malformed and oversized JSON with clear 4xx', async () => {
    const bad = await fetch(api('/invoices'), { method: 'POST', headers: { authorization: DEV_BASIC }, body: '{"InvoiceNumber": ' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('BODY_MALFORMED_JSON');
    const small = await startErpSimulator({ bodyLimitBytes: 64 });
    try {
      const big = await simClient(small).api('POST', '/invoices', invoice('INV-BIG'));
      expect(big.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('lists postings by InvoiceNumber in a Fusion items collection, lines only with expand', async () => {
    await postInvoice(invoice('INV-400'));
    await postInvoice(invoice('INV-401'));
    await postInvoice(invoice('INV-400'), 'retry');
    const res = await c.api<{ items: Array<Record<string, unknown>>; count: number; hasMore: boolean }>('GET', '/invoices?q=InvoiceNumber=INV-400');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.oracle.adf.resourcecollection+json');
    expect(res.body.count).toBe(2);
    expect(res.body.hasMore).toBe(false);
    expect(res.body.items.every((i) => i['InvoiceNumber'] === 'INV-400')).toBe(true);
    expect(res.body.items[0]).not.toHaveProperty('idempotencyKey');
    expect(res.body.items[0]).not.toHaveProperty('invoiceLines');
    const expanded = await c.api<{ items: Array<Record<string, unknown>> }>('GET', "/invoices?q=InvoiceNumber='INV-401'&expand=invoiceLines");
    expect(expanded.body.items[0]?.['invoiceLines']).toHaveLength(2);
    const id = expanded.body.items[0]?.['InvoiceId'] as number;
    expect((await c.api<{ items: unknown[] }>('GET', `/invoices/${id}/child/invoiceLines`)).body.items).toHaveLength(2);
    expect((await c.api<{ items: unknown[] }>('GET', "/invoices?q=InvoiceNumber='NOPE'")).body.items).toEqual([]);
    expect((await c.api('GET', '/invoices/42')).status).toBe(404);
  });

  it('http-5xx fault: fails n times without posting, then succeeds', async () => {
    expect((await c.admin('POST', '/faults', { kind: 'http-5xx', status: 502, times: 2 })).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const res = await postInvoice(invoice('INV-500'));
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ status: '502', 'o:errorDetails': [{ 'o:errorCode': 'SERVICE_UNAVAILABLE' }] });
    }
    expect(await postings()).toHaveLength(0);
    expect((await postInvoice(invoice('INV-500'))).status).toBe(201);
    expect(await postings()).toHaveLength(1);
  });

  it('business rejection: Fusion error body with the requested code, only for the targeted invoice', async () => {
    await c.admin('POST', '/faults', { kind: 'business-rejection', code: 'AP_CLOSED_PERIOD', message: 'The accounting date is in a closed period.', invoiceNumber: 'INV-600' });
    expect((await postInvoice(invoice('INV-601'))).status).toBe(201);
    const res = await postInvoice(invoice('INV-600'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      type: expect.any(String),
      title: 'Bad Request',
      status: '400',
      'o:errorCode': 'AP_CLOSED_PERIOD',
      'o:errorDetails': [{ detail: 'The accounting date is in a closed period.', 'o:errorCode': 'AP_CLOSED_PERIOD' }],
    });
    expect((await postings()).map((p) => p['InvoiceNumber'])).toEqual(['INV-601']);
    expect((await c.admin('GET', '/faults')).body).toEqual({ items: [] });
  });

  it('timeout fault: holds the request for hangMs, then drops the socket without posting', async () => {
    await c.admin('POST', '/faults', { kind: 'timeout' });
    const started = Date.now();
    await expect(postInvoice(invoice('INV-700'))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(HANG_MS - 20);
    expect(await postings()).toHaveLength(0);
  });

  it('timeout after processing: the ERP posted although the client never heard', async () => {
    await c.admin('POST', '/faults', { kind: 'timeout', afterProcessing: true, hangMs: 100 });
    await expect(postInvoice(invoice('INV-710'), 'key-710')).rejects.toThrow();
    const stored = await postings();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ InvoiceNumber: 'INV-710', idempotencyKey: 'key-710', outcome: 'timeout-after-processing' });
    // A client that checks before retrying finds the posting.
    expect((await c.api<{ items: unknown[] }>('GET', '/invoices?q=InvoiceNumber=INV-710')).body.items).toHaveLength(1);
  });

  it('5xx after processing: the posting is stored though the client got 500', async () => {
    await c.admin('POST', '/faults', { kind: 'http-5xx', status: 500, afterProcessing: true });
    expect((await postInvoice(invoice('INV-800'), 'key-800')).status).toBe(500);
    const stored = await postings();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ InvoiceNumber: 'INV-800', outcome: 'http-5xx-after-processing' });
    // The retry with the same key posts a second time: exactly the double posting finmesh must avoid.
    expect((await postInvoice(invoice('INV-800'), 'key-800')).status).toBe(201);
    expect(await postings()).toHaveLength(2);
  });

  it('refuses an invalid fault definition', async () => {
    const res = await c.admin<{ 'o:errorDetails': Array<{ 'o:errorPath': string }> }>('POST', '/faults', { kind: 'business-rejection', afterProcessing: true, times: 0 });
    expect(res.status).toBe(400);
    expect(res.body['o:errorDetails'].map((d) => d['o:errorPath'])).toEqual(['times', 'afterProcessing']);
    const bad429 = await c.admin<{ 'o:errorDetails': Array<{ 'o:errorPath': string }> }>('POST', '/faults', { kind: 'http-429' });
    expect(bad429.body['o:errorDetails'].map((d) => d['o:errorPath'])).toEqual(['resource']);
  });

  it('records every call: method, path, query, status, principal, time', async () => {
    await c.admin('DELETE', '/calls');
    await postInvoice(invoice('INV-900'));
    await c.api('GET', "/invoices?q=InvoiceNumber='INV-900'&limit=5");
    await simClient(sim, null).api('GET', '/invoices');
    const calls = (await c.admin<{ items: Array<Record<string, unknown>> }>('GET', '/calls')).body.items;
    expect(calls).toEqual([
      { time: expect.any(String), method: 'POST', path: `${FUSION_BASE_PATH}/invoices`, query: '', status: 201, principal: 'user:finmesh', durationMs: expect.any(Number) },
      expect.objectContaining({ method: 'GET', query: "q=InvoiceNumber='INV-900'&limit=5", status: 200, principal: 'user:finmesh' }),
      expect.objectContaining({ method: 'GET', status: 401, principal: null }),
    ]);
    expect((await c.admin<{ count: number }>('GET', '/calls?limit=1')).body.count).toBe(1);
    expect((await c.admin<{ count: number }>('GET', '/calls?path=/oauth2')).body.count).toBe(0);
  });

  it('keeps the call log bounded', async () => {
    const small = await startErpSimulator({ callLogSize: 3 });
    try {
      const sc = simClient(small);
      for (let i = 0; i < 5; i++) await sc.api('GET', `/invoices?offset=${i}`);
      const calls = (await sc.admin<{ items: Array<{ query: string }> }>('GET', '/calls')).body.items;
      expect(calls.map((x) => x.query)).toEqual(['offset=2', 'offset=3', 'offset=4']);
    } finally {
      await small.close();
    }
  });

  it('close() does not wait for a request held open by a timeout fault', async () => {
    const other = await startErpSimulator({ hangMs: 60_000 });
    const oc = simClient(other);
    await oc.admin('POST', '/faults', { kind: 'timeout' });
    const pending = oc.api('POST', '/invoices', invoice('INV-HANG'));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(pending).rejects.toThrow();
  });
});
