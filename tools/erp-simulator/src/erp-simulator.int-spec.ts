import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startErpSimulator, FUSION_BASE_PATH, type ErpSimulator, type Payment } from './server';

// Real HTTP on 127.0.0.1: the simulator on a free port, and a receiver standing in for payment-sync.

const HANG_MS = 300;

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Payment;
}

async function startReceiver(status = 202): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Payment });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/erp/payments`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function invoice(invoiceNumber: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    InvoiceNumber: invoiceNumber,
    InvoiceCurrency: 'EUR',
    InvoiceAmount: '1210.00',
    InvoiceDate: '2025-03-14',
    BusinessUnit: 'FINMESH DE BU',
    SupplierNumber: 'SUP-1001',
    SupplierSite: 'BERLIN',
    Description: 'Office chairs',
    invoiceLines: [
      { LineNumber: 1, LineAmount: '1000.00', Description: 'Chairs', DistributionCombination: '01-000-7640-0000-000' },
      { LineNumber: 2, LineAmount: 210, Description: 'VAT' },
    ],
    ...overrides,
  };
}

describe('ERP simulator (real HTTP)', () => {
  let sim: ErpSimulator;
  const api = (path: string) => `${sim.url}${FUSION_BASE_PATH}${path}`;
  const admin = (path: string) => `${sim.url}/__admin${path}`;
  const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const postInvoice = (body: unknown, key = 'idem-1') => postJson(api('/invoices'), body, { 'Idempotency-Key': key });
  const postings = async () =>
    ((await (await fetch(admin('/postings'))).json()) as { items: Array<Record<string, unknown>> }).items;

  beforeAll(async () => {
    sim = await startErpSimulator({ port: 0, hangMs: HANG_MS });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await fetch(admin('/reset'), { method: 'POST' });
  });

  it('answers health', async () => {
    const res = await fetch(admin('/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'UP' });
  });

  it('posts an invoice: 201 with the accounting document, and stores it with its idempotency key', async () => {
    const res = await postInvoice(invoice('INV-100'), 'key-100');
    expect(res.status).toBe(201);
    const receipt = (await res.json()) as Record<string, unknown>;
    expect(receipt).toEqual({
      InvoiceId: expect.any(Number),
      InvoiceNumber: 'INV-100',
      ValidationStatus: 'Validated',
      AccountingDocumentNumber: expect.stringMatching(/^AP-2025-\d+$/),
      AccountingDate: '2025-03-14',
    });
    expect(res.headers.get('location')).toBe(api(`/invoices/${receipt['InvoiceId']}`));

    const stored = await postings();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      InvoiceId: receipt['InvoiceId'],
      idempotencyKey: 'key-100',
      outcome: 'acknowledged',
      InvoiceAmount: '1210.00',
      requestBody: invoice('INV-100'),
    });
    expect(typeof stored[0]?.['receivedAt']).toBe('string');
  });

  it('does not de-duplicate: the same Idempotency-Key twice makes two postings', async () => {
    const first = (await (await postInvoice(invoice('INV-200'), 'same-key')).json()) as Record<string, unknown>;
    const second = (await (await postInvoice(invoice('INV-200'), 'same-key')).json()) as Record<string, unknown>;
    expect(second['InvoiceId']).not.toBe(first['InvoiceId']);
    expect(second['AccountingDocumentNumber']).not.toBe(first['AccountingDocumentNumber']);
    const stored = await postings();
    expect(stored.map((p) => p['idempotencyKey'])).toEqual(['same-key', 'same-key']);
  });

  it('rejects missing fields with a Fusion error body naming each one', async () => {
    const res = await postInvoice(invoice('INV-300', { InvoiceCurrency: undefined, InvoiceAmount: 'twelve', SupplierSite: '' }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { title: string; status: string; 'o:errorDetails': Array<Record<string, string>> };
    expect(body.title).toBe('Bad Request');
    expect(body.status).toBe('400');
    expect(body['o:errorDetails'].map((d) => d['o:errorPath'])).toEqual(['InvoiceCurrency', 'InvoiceAmount', 'SupplierSite']);
    expect(body['o:errorDetails'][0]).toMatchObject({ 'o:errorCode': 'FND_REST_REQUIRED_ATTR' });
    expect(await postings()).toHaveLength(0);
  });

  it('refuses malformed and oversized JSON with clear 4xx', async () => {
    const bad = await fetch(api('/invoices'), { method: 'POST', body: '{"InvoiceNumber": ' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('BODY_MALFORMED_JSON');
    const small = await startErpSimulator({ bodyLimitBytes: 64 });
    try {
      const big = await postJson(`${small.url}${FUSION_BASE_PATH}/invoices`, invoice('INV-BIG'));
      expect(big.status).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('lists postings by InvoiceNumber in a Fusion items collection', async () => {
    await postInvoice(invoice('INV-400'));
    await postInvoice(invoice('INV-401'));
    await postInvoice(invoice('INV-400'), 'retry');
    const res = await fetch(api('/invoices?q=InvoiceNumber=INV-400'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<Record<string, unknown>>; count: number; hasMore: boolean };
    expect(body.count).toBe(2);
    expect(body.hasMore).toBe(false);
    expect(body.items.every((i) => i['InvoiceNumber'] === 'INV-400')).toBe(true);
    expect(body.items[0]).not.toHaveProperty('idempotencyKey');
    const none = (await (await fetch(api("/invoices?q=InvoiceNumber='NOPE'"))).json()) as { items: unknown[] };
    expect(none.items).toEqual([]);
  });

  it('http-5xx fault: fails n times without posting, then succeeds', async () => {
    const armed = await postJson(admin('/faults'), { kind: 'http-5xx', status: 502, times: 2 });
    expect(armed.status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const res = await postInvoice(invoice('INV-500'));
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ status: '502', 'o:errorDetails': [{ 'o:errorCode': 'SERVICE_UNAVAILABLE' }] });
    }
    expect(await postings()).toHaveLength(0);
    expect((await postInvoice(invoice('INV-500'))).status).toBe(201);
    expect(await postings()).toHaveLength(1);
  });

  it('business rejection: Fusion error body with the requested code, only for the targeted invoice', async () => {
    await postJson(admin('/faults'), {
      kind: 'business-rejection',
      code: 'AP_CLOSED_PERIOD',
      message: 'The accounting date is in a closed period.',
      invoiceNumber: 'INV-600',
    });
    expect((await postInvoice(invoice('INV-601'))).status).toBe(201);
    const res = await postInvoice(invoice('INV-600'));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: expect.any(String),
      title: 'Bad Request',
      status: '400',
      'o:errorCode': 'AP_CLOSED_PERIOD',
      'o:errorDetails': [{ detail: 'The accounting date is in a closed period.', 'o:errorCode': 'AP_CLOSED_PERIOD' }],
    });
    expect((await postings()).map((p) => p['InvoiceNumber'])).toEqual(['INV-601']);
    expect((await (await fetch(admin('/faults'))).json()) as { items: unknown[] }).toEqual({ items: [] });
  });

  it('timeout fault: holds the request for hangMs, then drops the socket without posting', async () => {
    await postJson(admin('/faults'), { kind: 'timeout' });
    const started = Date.now();
    await expect(postInvoice(invoice('INV-700'))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(HANG_MS - 20);
    expect(await postings()).toHaveLength(0);
  });

  it('timeout after processing: the ERP posted although the client never heard', async () => {
    await postJson(admin('/faults'), { kind: 'timeout', afterProcessing: true, hangMs: 100 });
    await expect(postInvoice(invoice('INV-710'), 'key-710')).rejects.toThrow();
    const stored = await postings();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ InvoiceNumber: 'INV-710', idempotencyKey: 'key-710', outcome: 'timeout-after-processing' });
    // A client that checks before retrying finds the posting.
    const found = (await (await fetch(api('/invoices?q=InvoiceNumber=INV-710'))).json()) as { items: unknown[] };
    expect(found.items).toHaveLength(1);
  });

  it('5xx after processing: the posting is stored though the client got 500', async () => {
    await postJson(admin('/faults'), { kind: 'http-5xx', status: 500, afterProcessing: true });
    const res = await postInvoice(invoice('INV-800'), 'key-800');
    expect(res.status).toBe(500);
    const stored = await postings();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ InvoiceNumber: 'INV-800', outcome: 'http-5xx-after-processing' });
    // The retry with the same key posts a second time: exactly the double posting finmesh must avoid.
    expect((await postInvoice(invoice('INV-800'), 'key-800')).status).toBe(201);
    expect(await postings()).toHaveLength(2);
  });

  it('refuses an invalid fault definition', async () => {
    const res = await postJson(admin('/faults'), { kind: 'business-rejection', afterProcessing: true, times: 0 });
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as { 'o:errorDetails': Array<{ 'o:errorPath': string }> })['o:errorDetails'].map(
      (d) => d['o:errorPath'],
    );
    expect(paths).toEqual(['times', 'afterProcessing']);
  });

  it('payment run: partial and multi-invoice payments with exact sums, delivered to a receiver', async () => {
    const receiver = await startReceiver();
    try {
      // INV-910 is posted for 1210.00 and paid only 500.00 of it (partial payment).
      const posted = (await (await postInvoice(invoice('INV-910'))).json()) as { InvoiceId: number };
      const res = await postJson(admin('/payment-runs'), {
        payments: [
          {
            supplierNumber: 'SUP-1001',
            currency: 'EUR',
            method: 'EFT',
            paymentDate: '2025-04-01',
            invoices: [
              { invoiceNumber: 'INV-900', erpInvoiceId: 300100000000042, amountPaid: '0.10' },
              { invoiceNumber: 'INV-901', amountPaid: '0.2' },
              { invoiceNumber: 'INV-902', amountPaid: 1000.005 },
            ],
          },
          {
            supplierNumber: 'SUP-2002',
            currency: 'USD',
            method: 'CHECK',
            paymentDate: '2025-04-02',
            invoices: [{ invoiceNumber: 'INV-910', erpInvoiceId: posted.InvoiceId, amountPaid: '500.00' }],
          },
        ],
        deliverTo: { url: receiver.url, bearerToken: 'erp-webhook-token' },
      });
      expect(res.status).toBe(201);
      const run = (await res.json()) as { payments: Payment[]; deliveries: Array<Record<string, unknown>> };
      expect(run.payments).toHaveLength(2);
      const [multi, partial] = run.payments as [Payment, Payment];
      expect(multi).toMatchObject({
        PaymentAmount: '1000.305',
        PaymentCurrency: 'EUR',
        PaymentDate: '2025-04-01',
        PaymentMethodCode: 'EFT',
        PaymentStatus: 'Issued',
        relatedInvoices: [
          { InvoiceNumber: 'INV-900', InvoiceId: 300100000000042, AmountPaid: '0.10' },
          { InvoiceNumber: 'INV-901', AmountPaid: '0.20' },
          { InvoiceNumber: 'INV-902', AmountPaid: '1000.005' },
        ],
      });
      expect(multi.relatedInvoices[1]).not.toHaveProperty('InvoiceId');
      expect(partial).toMatchObject({
        PaymentAmount: '500.00',
        PaymentCurrency: 'USD',
        PaymentStatus: 'Issued',
        relatedInvoices: [{ InvoiceNumber: 'INV-910', InvoiceId: posted.InvoiceId, AmountPaid: '500.00' }],
      });
      expect(run.deliveries).toEqual([
        { PaymentId: multi.PaymentId, url: receiver.url, delivered: true, status: 202 },
        { PaymentId: partial.PaymentId, url: receiver.url, delivered: true, status: 202 },
      ]);

      expect(receiver.received.map((r) => r.body)).toEqual([multi, partial]);
      expect(receiver.received[0]?.headers['authorization']).toBe('Bearer erp-webhook-token');
      expect(receiver.received[0]?.headers['x-erp-simulator-event']).toBe('payment.issued');

      const listed = (await (await fetch(api('/payablesPayments'))).json()) as { items: Payment[] };
      expect(listed.items).toEqual([multi, partial]);
      const one = (await (await fetch(api(`/payablesPayments?q=PaymentId=${partial.PaymentId}`))).json()) as { items: Payment[] };
      expect(one.items).toEqual([partial]);
    } finally {
      await receiver.close();
    }
  });

  it('confirm marks a payment Cleared and delivers the updated JSON; a second confirm is a 409', async () => {
    const receiver = await startReceiver(200);
    try {
      const run = (await (
        await postJson(admin('/payment-runs'), {
          payments: [
            { supplierNumber: 'SUP-1', currency: 'EUR', method: 'EFT', paymentDate: '2025-05-01', invoices: [{ invoiceNumber: 'INV-1', amountPaid: '99.99' }] },
          ],
        })
      ).json()) as { payments: Payment[]; deliveries: unknown[] };
      expect(run.deliveries).toEqual([]);
      const paymentId = run.payments[0]?.PaymentId;

      const res = await postJson(admin(`/payments/${paymentId}/confirm`), {
        bankReference: 'BANK-REF-77',
        clearedDate: '2025-05-03',
        deliverTo: { url: receiver.url },
      });
      expect(res.status).toBe(200);
      const { payment, deliveries } = (await res.json()) as { payment: Payment; deliveries: unknown[] };
      expect(payment).toMatchObject({ PaymentId: paymentId, PaymentStatus: 'Cleared', BankReference: 'BANK-REF-77', ClearedDate: '2025-05-03', PaymentAmount: '99.99' });
      expect(deliveries).toEqual([{ PaymentId: paymentId, url: receiver.url, delivered: true, status: 200 }]);
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]?.body).toEqual(payment);
      expect(receiver.received[0]?.headers['x-erp-simulator-event']).toBe('payment.cleared');
      expect(receiver.received[0]?.headers['authorization']).toBeUndefined();

      const again = await postJson(admin(`/payments/${paymentId}/confirm`), { bankReference: 'X', clearedDate: '2025-05-04' });
      expect(again.status).toBe(409);
      expect((await postJson(admin('/payments/1/confirm'), { bankReference: 'X', clearedDate: '2025-05-04' })).status).toBe(404);

      // Redelivery of the same state, for testing a receiver's duplicate handling.
      const redelivered = await postJson(admin(`/payments/${paymentId}/deliver`), { deliverTo: { url: receiver.url } });
      expect(redelivered.status).toBe(200);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]?.body).toEqual(payment);
    } finally {
      await receiver.close();
    }
  });

  it('reports a failed delivery in the response instead of retrying', async () => {
    const receiver = await startReceiver(503);
    await receiver.close(); // nothing listens on that port any more
    const res = await postJson(admin('/payment-runs'), {
      payments: [{ supplierNumber: 'S', currency: 'EUR', method: 'EFT', paymentDate: '2025-05-01', invoices: [{ invoiceNumber: 'I', amountPaid: '1' }] }],
      deliverTo: { url: receiver.url },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { payments: Payment[]; deliveries: Array<Record<string, unknown>> };
    expect(body.payments[0]?.PaymentStatus).toBe('Issued');
    expect(body.deliveries).toEqual([{ PaymentId: body.payments[0]?.PaymentId, url: receiver.url, delivered: false, error: expect.any(String) }]);

    const rejecting = await startReceiver(500);
    try {
      const res2 = await postJson(admin(`/payments/${body.payments[0]?.PaymentId}/deliver`), { deliverTo: { url: rejecting.url } });
      expect(((await res2.json()) as { deliveries: unknown[] }).deliveries).toEqual([
        { PaymentId: body.payments[0]?.PaymentId, url: rejecting.url, delivered: false, status: 500, error: 'receiver answered HTTP 500' },
      ]);
    } finally {
      await rejecting.close();
    }
  });

  it('validates payment runs', async () => {
    const res = await postJson(admin('/payment-runs'), {
      payments: [{ supplierNumber: 'S', currency: 'eur', method: 'EFT', paymentDate: '2025-13-01', invoices: [{ invoiceNumber: 'I', amountPaid: '-5' }] }],
      deliverTo: { url: 'ftp://x' },
    });
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as { 'o:errorDetails': Array<{ 'o:errorPath': string }> })['o:errorDetails'].map((d) => d['o:errorPath']);
    expect(paths).toEqual(['payments[0].currency', 'payments[0].paymentDate', 'payments[0].invoices[0].amountPaid', 'deliverTo.url']);
  });

  it('close() does not wait for a request held open by a timeout fault', async () => {
    const other = await startErpSimulator({ hangMs: 60_000 });
    await fetch(`${other.url}/__admin/faults`, { method: 'POST', body: JSON.stringify({ kind: 'timeout' }) });
    const pending = fetch(`${other.url}${FUSION_BASE_PATH}/invoices`, { method: 'POST', body: JSON.stringify(invoice('INV-HANG')) });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(pending).rejects.toThrow();
  });
});
