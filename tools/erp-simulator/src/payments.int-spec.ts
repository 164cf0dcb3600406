import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFusionPayment } from '@finmesh/adapters';
import { startErpSimulator, type ErpSimulator, type Payment } from './server';
import { invoiceBody, simClient } from './testing/sim-client';

// Payment runs, clearing and the documented void, and the webhook push (a receiver stands in for payment-sync).

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
  return { url: `http://127.0.0.1:${port}/erp/payments`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const runOf = (invoices: unknown[], extra: Record<string, unknown> = {}) => ({
  payments: [{ supplierNumber: 'SUP-1', currency: 'EUR', method: 'EFT', paymentDate: '2025-05-01', invoices, ...extra }],
});

describe('ERP simulator payments (real HTTP)', () => {
  let sim: ErpSimulator;
  let c: ReturnType<typeof simClient>;
  beforeAll(async () => {
    sim = await startErpSimulator();
    c = simClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await c.admin('POST', '/reset');
  });

  it('payment run: Negotiable payments with exact sums, in the documented shape, delivered to a receiver', async () => {
    const receiver = await startReceiver();
    try {
      const posted = (await c.api<{ InvoiceId: number }>('POST', '/invoices', invoiceBody('INV-910'))).body;
      const res = await c.admin<{ payments: Payment[]; deliveries: Array<Record<string, unknown>> }>('POST', '/payment-runs', {
        name: 'PPR-TEST-1',
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
          { supplierNumber: 'SUP-2002', currency: 'USD', method: 'CHECK', paymentDate: '2025-04-02', invoices: [{ invoiceNumber: 'INV-910', erpInvoiceId: posted.InvoiceId, amountPaid: '500.00' }] },
        ],
        deliverTo: { url: receiver.url, bearerToken: 'erp-webhook-token' },
      });
      expect(res.status).toBe(201);
      const [multi, partial] = res.body.payments as [Payment, Payment];
      expect(multi).toEqual({
        CheckId: expect.any(Number),
        PaymentId: expect.any(Number),
        PaymentNumber: expect.any(Number),
        PaymentReference: expect.any(Number),
        PaymentProcessRequest: 'PPR-TEST-1',
        PaymentType: 'Payment process request',
        PaymentAmount: '1000.305',
        PaymentCurrency: 'EUR',
        PaymentDate: '2025-04-01',
        AccountingDate: '2025-04-01',
        PaymentMethodCode: 'EFT',
        PaymentStatus: 'Negotiable',
        ClearingDate: null,
        ClearingAmount: null,
        StopDate: null,
        VoidDate: null,
        VoidAccountingDate: null,
        SupplierNumber: 'SUP-1001',
        CreationDate: expect.any(String),
        LastUpdateDate: expect.any(String),
        relatedInvoices: [
          { InvoicePaymentId: expect.any(Number), InvoiceId: 300100000000042, InvoiceNumber: 'INV-900', InstallmentNumber: 1, AmountPaid: '0.10' },
          { InvoicePaymentId: expect.any(Number), InvoiceNumber: 'INV-901', InstallmentNumber: 1, AmountPaid: '0.20' },
          { InvoicePaymentId: expect.any(Number), InvoiceNumber: 'INV-902', InstallmentNumber: 1, AmountPaid: '1000.005' },
        ],
      });
      expect(partial).toMatchObject({ PaymentAmount: '500.00', PaymentCurrency: 'USD', PaymentStatus: 'Negotiable', relatedInvoices: [{ InvoiceNumber: 'INV-910', InvoiceId: posted.InvoiceId, AmountPaid: '500.00' }] });
      expect(res.body.deliveries).toEqual([
        { CheckId: multi.CheckId, url: receiver.url, delivered: true, status: 202 },
        { CheckId: partial.CheckId, url: receiver.url, delivered: true, status: 202 },
      ]);
      expect(receiver.received.map((r) => r.body)).toEqual([multi, partial]);
      expect(receiver.received[0]?.headers['authorization']).toBe('Bearer erp-webhook-token');
      expect(receiver.received[0]?.headers['x-erp-simulator-event']).toBe('payment.issued');
      // What the simulator delivers is what finmesh's Fusion reader takes (a Negotiable payment is released).
      expect(readFusionPayment(partial)).toMatchObject({ erpPaymentId: String(partial.CheckId), status: 'NEGOTIABLE', amount: '500.0000' });

      // Polled: without expand the rows carry no child; with expand they are what was delivered.
      const listed = await c.api<{ items: Array<Record<string, unknown>> }>('GET', '/payablesPayments');
      expect(listed.body.items.map((p) => p['CheckId'])).toEqual([multi.CheckId, partial.CheckId]);
      expect(listed.body.items[0]).not.toHaveProperty('relatedInvoices');
      expect((await c.api<{ items: Payment[] }>('GET', '/payablesPayments?expand=relatedInvoices')).body.items).toEqual([multi, partial]);
      expect((await c.api<{ items: Payment[] }>('GET', `/payablesPayments?q=CheckId=${partial.CheckId}&expand=all`)).body.items).toEqual([partial]);
      expect((await c.api('GET', `/payablesPayments/${partial.CheckId}?expand=relatedInvoices`)).body).toEqual(partial);
      expect((await c.api<{ items: unknown[] }>('GET', `/payablesPayments/${multi.CheckId}/child/relatedInvoices`)).body.items).toEqual(multi.relatedInvoices);
    } finally {
      await receiver.close();
    }
  });

  it('clearing makes a payment Cleared with ClearingDate/ClearingAmount and delivers it; a second clearing is a 409', async () => {
    const receiver = await startReceiver(200);
    try {
      const run = (await c.admin<{ payments: Payment[]; deliveries: unknown[] }>('POST', '/payment-runs', runOf([{ invoiceNumber: 'INV-1', amountPaid: '99.99' }]))).body;
      expect(run.deliveries).toEqual([]);
      const checkId = run.payments[0]!.CheckId;
      const res = await c.admin<{ payment: Payment; deliveries: unknown[] }>('POST', `/payments/${checkId}/confirm`, { clearingDate: '2025-05-03', deliverTo: { url: receiver.url } });
      expect(res.status).toBe(200);
      const { payment } = res.body;
      expect(payment).toMatchObject({ CheckId: checkId, PaymentStatus: 'Cleared', ClearingDate: '2025-05-03', ClearingAmount: '99.99', PaymentAmount: '99.99' });
      expect(payment.LastUpdateDate > run.payments[0]!.LastUpdateDate || payment.LastUpdateDate === run.payments[0]!.LastUpdateDate).toBe(true);
      expect(res.body.deliveries).toEqual([{ CheckId: checkId, url: receiver.url, delivered: true, status: 200 }]);
      expect(receiver.received[0]?.body).toEqual(payment);
      expect(receiver.received[0]?.headers['x-erp-simulator-event']).toBe('payment.cleared');
      expect(receiver.received[0]?.headers['authorization']).toBeUndefined();
      expect(readFusionPayment(payment)).toMatchObject({ status: 'CLEARED', clearingDate: '2025-05-03', paymentReference: String(payment.PaymentReference) });

      expect((await c.admin('POST', `/payments/${checkId}/confirm`, { clearingDate: '2025-05-04' })).status).toBe(409);
      expect((await c.admin('POST', '/payments/1/confirm', { clearingDate: '2025-05-04' })).status).toBe(404);
      // clearedDate is read as clearingDate (older callers).
      const other = (await c.admin<{ payments: Payment[] }>('POST', '/payment-runs', runOf([{ invoiceNumber: 'INV-2', amountPaid: '1' }]))).body.payments[0]!;
      expect((await c.admin<{ payment: Payment }>('POST', `/payments/${other.CheckId}/confirm`, { clearedDate: '2025-05-05' })).body.payment.ClearingDate).toBe('2025-05-05');

      const redelivered = await c.admin('POST', `/payments/${checkId}/deliver`, { deliverTo: { url: receiver.url } });
      expect(redelivered.status).toBe(200);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]?.body).toEqual(payment);
    } finally {
      await receiver.close();
    }
  });

  it('voids a payment through the documented PATCH: Voided with VoidDate, LastUpdateDate moved', async () => {
    const issued = (await c.admin<{ payments: Payment[] }>('POST', '/payment-runs', runOf([{ invoiceNumber: 'INV-V', amountPaid: '10.00' }], { lastUpdateDate: '2025-05-01T08:00:00.000Z' }))).body.payments[0]!;
    expect(issued.LastUpdateDate).toBe('2025-05-01T08:00:00.000Z');
    const voided = await c.api<Payment>('PATCH', `/payablesPayments/${issued.CheckId}`, { VoidDate: '2025-05-06', VoidAccountingDate: '2025-05-07' });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ PaymentStatus: 'Voided', VoidDate: '2025-05-06', VoidAccountingDate: '2025-05-07' });
    expect(voided.body).not.toHaveProperty('relatedInvoices');
    expect(voided.body.LastUpdateDate > issued.LastUpdateDate).toBe(true);
    const polled = (await c.api<{ items: Payment[] }>('GET', `/payablesPayments?q=PaymentStatus=Voided&expand=relatedInvoices`)).body.items;
    expect(polled.map((p) => p.CheckId)).toEqual([issued.CheckId]);
    expect(readFusionPayment(polled[0])).toMatchObject({ status: 'VOIDED', voidDate: '2025-05-06' });

    const again = await c.api('PATCH', `/payablesPayments/${issued.CheckId}`, { VoidDate: '2025-05-06' });
    expect(again).toMatchObject({ status: 400, body: { 'o:errorDetails': [{ 'o:errorCode': 'AP_PAYMENT_ALREADY_VOIDED' }] } });
    const other = (await c.admin<{ payments: Payment[] }>('POST', '/payment-runs', runOf([{ invoiceNumber: 'INV-W', amountPaid: '1' }]))).body.payments[0]!;
    const statusPatch = await c.api<{ 'o:errorDetails': Array<{ 'o:errorPath': string }> }>('PATCH', `/payablesPayments/${other.CheckId}`, { PaymentStatus: 'Voided' });
    expect(statusPatch.status).toBe(400);
    expect(statusPatch.body['o:errorDetails'].map((d) => d['o:errorPath'])).toEqual(['PaymentStatus', 'VoidDate']);
    await c.admin('POST', `/payments/${other.CheckId}/confirm`, { clearingDate: '2025-05-02' });
    expect((await c.api('PATCH', `/payablesPayments/${other.CheckId}`, { VoidDate: '2025-05-06' })).status).toBe(400);
  });

  it('voids through the admin hook too, delivering the voided payment', async () => {
    const receiver = await startReceiver();
    try {
      const issued = (await c.admin<{ payments: Payment[] }>('POST', '/payment-runs', runOf([{ invoiceNumber: 'INV-X', amountPaid: '5' }]))).body.payments[0]!;
      const res = await c.admin<{ payment: Payment }>('POST', `/payments/${issued.CheckId}/void`, { voidDate: '2025-05-09', deliverTo: { url: receiver.url } });
      expect(res.body.payment).toMatchObject({ PaymentStatus: 'Voided', VoidDate: '2025-05-09', VoidAccountingDate: '2025-05-09' });
      expect(receiver.received[0]?.headers['x-erp-simulator-event']).toBe('payment.voided');
    } finally {
      await receiver.close();
    }
  });

  it('reports a failed delivery in the response instead of retrying', async () => {
    const receiver = await startReceiver(503);
    await receiver.close(); // nothing listens on that port any more
    const res = await c.admin<{ payments: Payment[]; deliveries: Array<Record<string, unknown>> }>('POST', '/payment-runs', { ...runOf([{ invoiceNumber: 'I', amountPaid: '1' }]), deliverTo: { url: receiver.url } });
    expect(res.status).toBe(201);
    expect(res.body.payments[0]?.PaymentStatus).toBe('Negotiable');
    expect(res.body.deliveries).toEqual([{ CheckId: res.body.payments[0]?.CheckId, url: receiver.url, delivered: false, error: expect.any(String) }]);
    const rejecting = await startReceiver(500);
    try {
      const res2 = await c.admin<{ deliveries: unknown[] }>('POST', `/payments/${res.body.payments[0]?.CheckId}/deliver`, { deliverTo: { url: rejecting.url } });
      expect(res2.body.deliveries).toEqual([{ CheckId: res.body.payments[0]?.CheckId, url: rejecting.url, delivered: false, status: 500, error: 'receiver answered HTTP 500' }]);
    } finally {
      await rejecting.close();
    }
  });

  it('validates payment runs', async () => {
    const res = await c.admin<{ 'o:errorDetails': Array<{ 'o:errorPath': string }> }>('POST', '/payment-runs', {
      payments: [{ supplierNumber: 'S', currency: 'eur', method: 'EFT', paymentDate: '2025-13-01', invoices: [{ invoiceNumber: 'I', amountPaid: '-5' }], lastUpdateDate: 'yesterday' }],
      deliverTo: { url: 'ftp://x' },
    });
    expect(res.status).toBe(400);
    expect(res.body['o:errorDetails'].map((d) => d['o:errorPath'])).toEqual(['payments[0].currency', 'payments[0].paymentDate', 'payments[0].invoices[0].amountPaid', 'payments[0].lastUpdateDate', 'deliverTo.url']);
  });
});
