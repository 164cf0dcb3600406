import type { INestApplication } from '@nestjs/common';
import { nameBasedId } from '@finmesh/adapters';
import { deterministicEventId, EventCodec, localSchemaSource, topicNameFor } from '@finmesh/contracts';
import { startErpSimulator, type ErpSimulator } from '@finmesh/erp-simulator';
import { startProcurementSimulator, type ProcurementSimulator } from '@finmesh/procurement-simulator';
import { DatabaseConnection, mintDevToken, ServicePolling } from '@finmesh/service-kit';
import { createTestSchema, dropTestSchema, env, eventually, provisionTestNamespace, startServiceUnderTest, testKafka, TopicRecorder, uniqueName } from '@finmesh/testing';
import type { Consumer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { poSyncService } from './po-sync-service';

/**
 * po-sync against both simulators, in process on free ports, with the simulators' dev
 * credentials: Coupa polled with the exported flag (OAuth client credentials), POs and receipts
 * created in the ERP simulator (HTTP Basic). The ERP simulator runs with its default
 * purchaseOrderCheck 'enforce': a receipt line must name a PO the ERP holds.
 */
const SECRET = 'po-sync-polling-test-secret-0123456789abcdef';
const REST = '/fscmRestApi/resources/11.13.18.05';

interface CoupaRow { id: number; exported: boolean; 'order-lines'?: { id: number; 'line-num': string }[]; status?: string; 'updated-at'?: string }
interface LineView { lineNumber: number; receivedQty: string }

describe('po-sync: Coupa polling (exported flag) and POs and receipts created in the ERP', () => {
  let app: INestApplication;
  let url: string;
  let ds: DataSource;
  let schema: string;
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let coupa: ProcurementSimulator;
  let erp: ErpSimulator;
  let recorder: TopicRecorder;
  let dltConsumer: Consumer;
  /** What reached po-sync's dead-letter topic of the PO topic: event, key and the dead-letter headers. */
  const deadLetters: { event: string; key: string; code: string; errorClass: string; attempts: string }[] = [];
  const codec = EventCodec.create(env.registryUrl, localSchemaSource());
  const run = Date.now().toString(36).toUpperCase();

  async function json<T = unknown>(method: string, target: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(target, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
  }
  const coupaAdmin = <T = unknown>(method: string, path: string, body?: unknown) => json<T>(method, `${coupa.url}/__admin${path}`, body);
  const erpAdmin = <T = unknown>(method: string, path: string, body?: unknown) => json<T>(method, `${erp.url}/__admin${path}`, body);
  const erpApi = <T = unknown>(path: string) => json<T>('GET', `${erp.url}${REST}${path}`, undefined, { authorization: `Basic ${Buffer.from('finmesh:finmesh-dev').toString('base64')}` });
  async function coupaApi(method: string, path: string, body?: unknown) {
    const form = new URLSearchParams({ client_id: 'finmesh', client_secret: 'finmesh-simulator-secret', grant_type: 'client_credentials' });
    const token = await fetch(`${coupa.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    const { access_token } = (await token.json()) as { access_token: string };
    return json(method, `${coupa.url}${path}`, body, { authorization: `Bearer ${access_token}`, accept: 'application/json' });
  }
  const coupaRow = async (resource: 'purchase_orders' | 'receiving_transactions', id: number) =>
    (await coupaAdmin<{ items: CoupaRow[] }>('GET', `/${resource}`)).body.items.find((r) => r.id === id);
  const order = async (purchaseOrderId: string) => {
    const token = await mintDevToken({ clientId: 'ops', roles: ['ops'], secret: SECRET });
    return (await json<{ lines?: LineView[] }>('GET', `${url}/v1/purchase-orders/${purchaseOrderId}`, undefined, { authorization: `Bearer ${token}` })).body;
  };
  const received = async (purchaseOrderId: string, line: number) => (await order(purchaseOrderId)).lines?.find((l) => l.lineNumber === line)?.receivedQty;
  const outbox = async (event: string, key: string) =>
    Promise.all(
      ((await ds.query('SELECT event_id, value FROM finmesh_outbox WHERE event_type = $1 AND message_key = $2 ORDER BY id', [event, key])) as { event_id: string; value: Buffer }[]).map(async (r) => ({
        eventId: r.event_id,
        value: (await codec.decode(r.value)).value as Record<string, unknown> & { receiptId?: string; lines?: { quantityReceived: string }[] },
      })),
    );
  const erpDocuments = async (kind: 'PURCHASE_ORDER' | 'RECEIPT', purchaseOrderId: string) =>
    (await ds.query('SELECT finmesh_id, status, erp_id, detail FROM erp_documents WHERE document_kind = $1 AND purchase_order_id = $2 ORDER BY created_at', [kind, purchaseOrderId])) as {
      finmesh_id: string; status: string; erp_id: string | null; detail: string | null;
    }[];
  const attempts = async (kind: 'PURCHASE_ORDER' | 'RECEIPT', finmeshId: string) =>
    (await ds.query('SELECT attempt, outcome, http_status, erp_code, erp_message FROM erp_sync_attempts WHERE document_kind = $1 AND finmesh_id = $2 ORDER BY attempt', [kind, finmeshId])) as {
      attempt: number; outcome: string; http_status: number | null; erp_code: string | null; erp_message: string | null;
    }[];
  const erpCalls = async (method: string, path: string) =>
    (await erpAdmin<{ items: { method: string; path: string; status: number }[] }>('GET', `/calls?limit=1000`)).body.items.filter((c) => c.method === method && c.path === `${REST}${path}`);

  /** A Coupa PO in the documented shape (two quantity lines, DE01 chart of accounts), created in the simulator. */
  async function createCoupaOrder(poNumber: string): Promise<CoupaRow> {
    const line = (n: number, quantity: string, price: string, total: string) => ({
      type: 'OrderQuantityLine', description: `Line ${n}`, quantity, price, total, uom: { code: 'EA' }, 'match-type': '3-way', 'receipt-required': true,
      'need-by-date': '2025-04-01T00:00:00+02:00',
      account: { code: 'DE01-4410-CC100', 'account-type': { name: 'DE01' }, 'segment-1': 'DE01', 'segment-2': '4410', 'segment-3': 'CC100' },
    });
    const created = await coupaAdmin<CoupaRow>('POST', '/purchase_orders', {
      'po-number': poNumber, status: 'issued', currency: { code: 'EUR' }, supplier: { id: 812, name: 'Schraubenwerk Müller GmbH', number: '1013' },
      'created-by': { login: 'a.schmidt' }, 'order-lines': [line(1, '1000.0', '0.125', '125.00'), line(2, '10.0', '2.50', '25.00')],
    });
    expect(created.status).toBe(201);
    return created.body;
  }
  async function createReceivingTransaction(po: CoupaRow, lineNum: number, quantity: string, extra: Record<string, unknown> = {}): Promise<CoupaRow> {
    const lineId = po['order-lines']!.find((l) => l['line-num'] === String(lineNum))!.id;
    const created = await coupaAdmin<{ items: CoupaRow[] }>('POST', '/receiving_transactions', { type: 'InventoryReceipt', quantity, uom: { code: 'EA' }, 'order-line': { id: lineId }, ...extra });
    expect(created.status).toBe(201);
    return created.body.items[0]!;
  }

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    schema = await createTestSchema();
    coupa = await startProcurementSimulator({ port: 0, rateLimit: false });
    erp = await startErpSimulator({ port: 0 }); // purchaseOrderCheck: the default, 'enforce'
    const settings = {
      FINMESH_COUPA_BASE_URL: coupa.url,
      FINMESH_COUPA_TOKEN_URL: `${coupa.url}/oauth2/token`,
      FINMESH_COUPA_CLIENT_ID: 'finmesh',
      FINMESH_COUPA_CLIENT_SECRET: 'finmesh-simulator-secret',
      FINMESH_COUPA_POLL_INTERVAL_MS: '200',
      FINMESH_ERP_BASE_URL: erp.url,
      FINMESH_ERP_AUTH: 'basic',
      FINMESH_ERP_USERNAME: 'finmesh',
      FINMESH_ERP_PASSWORD: 'finmesh-dev',
      FINMESH_ERP_TIMEOUT_MS: '3000',
      FINMESH_CONSUMER_INITIAL_BACKOFF_MS: '100',
    };
    ({ app, url } = await startServiceUnderTest(poSyncService(settings), { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }, settings));
    ds = app.get(DatabaseConnection).dataSource;
    recorder = await TopicRecorder.start(topicNameFor('PurchaseOrderIssued', ns.prefix));
    dltConsumer = testKafka().consumer({ groupId: uniqueName('po-sync-dlt'), maxWaitTimeInMs: 100 });
    await dltConsumer.connect();
    await dltConsumer.subscribe({ topic: `${topicNameFor('PurchaseOrderIssued', ns.prefix)}.dlt`, fromBeginning: true });
    await dltConsumer.run({
      eachMessage: async ({ message }) => {
        const h = (name: string) => message.headers?.[name]?.toString() ?? '';
        deadLetters.push({ event: h('finmesh-event-type'), key: message.key?.toString() ?? '', code: h('finmesh-dlt-error-code'), errorClass: h('finmesh-dlt-error-class'), attempts: h('finmesh-dlt-attempts') });
      },
    });
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await dltConsumer?.disconnect();
    await app?.close();
    await coupa?.close();
    await erp?.close();
    await ns?.cleanup();
    if (schema) await dropTestSchema(schema);
  });

  it('polls a PO into PurchaseOrderIssued once; a failed mark re-reads it without a second effect; the PO is created once in the ERP', async () => {
    // The first "mark exported" fails after po-sync committed: the poller dies between processing and marking.
    expect((await coupaAdmin('POST', '/faults', { kind: 'http-5xx', status: 503, route: 'PUT /api/purchase_orders/:id', times: 1 })).status).toBe(201);
    const po = await createCoupaOrder(`PO-P${run}`);
    const poId = nameBasedId('purchase-order', `PO-P${run}`);

    await eventually('PO marked exported in Coupa', async () => (await coupaRow('purchase_orders', po.id))?.exported === true, 20_000);
    const marks = (await coupaAdmin<{ items: { status: number }[] }>('GET', `/calls?method=PUT&path=/api/purchase_orders/${po.id}`)).body.items.map((c) => c.status);
    expect(marks).toEqual([503, 200]);

    const issued = await outbox('PurchaseOrderIssued', poId);
    expect(issued).toHaveLength(1);
    expect(issued[0]!.eventId).toBe(deterministicEventId('coupa', 'purchase_orders', String(po.id), '1', 'PurchaseOrderIssued'));
    expect(issued[0]!.value).toMatchObject({ poNumber: `PO-P${run}`, revision: 1, envelope: { occurredAt: new Date(po['updated-at']!) } });
    expect(await ds.query('SELECT count(*)::int AS n FROM purchase_orders WHERE purchase_order_id = $1', [poId])).toEqual([{ n: 1 }]);
    const ledger = (await ds.query(`SELECT record_version, outcome FROM finmesh_poll_ledger WHERE resource = 'purchase_orders' AND record_key = $1`, [String(po.id)])) as unknown[];
    expect(ledger).toEqual([{ record_version: '1', outcome: 'applied' }]);
    await eventually('PurchaseOrderIssued on the topic', async () => recorder.of('PurchaseOrderIssued', poId).length === 1, 15_000);

    // Created in the ERP once: draft + submit, then readable as a purchase order.
    await eventually('PO recorded as created in the ERP', async () => (await erpDocuments('PURCHASE_ORDER', poId)).length === 1, 20_000);
    const [doc] = await erpDocuments('PURCHASE_ORDER', poId);
    expect(doc).toMatchObject({ status: 'CREATED', erp_id: expect.any(String) });
    expect(await erpCalls('POST', '/draftPurchaseOrders')).toHaveLength(1);
    const inErp = await erpApi<{ count: number; items: { lines: unknown[] }[] }>(`/purchaseOrders?q=${encodeURIComponent(`OrderNumber='PO-P${run}'`)}&expand=lines`);
    expect(inErp.body).toMatchObject({ count: 1, items: [{ OrderNumber: `PO-P${run}`, Status: 'Open', SupplierNumber: '1013', CurrencyCode: 'EUR', ProcurementBU: expect.any(String) }] });
    expect(inErp.body.items[0]!.lines).toHaveLength(2);

    // Nothing more happens on later cycles: still one event, one ERP create.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await outbox('PurchaseOrderIssued', poId)).toHaveLength(1);
    expect(await erpCalls('POST', '/draftPurchaseOrders')).toHaveLength(1);
    expect(recorder.of('PurchaseOrderIssued', poId)).toHaveLength(1);
  });

  it('a PO cancelled in Coupa is polled again (exported reset) and closes the order with PurchaseOrderClosed, once', async () => {
    const po = await createCoupaOrder(`PO-C${run}`);
    const poId = nameBasedId('purchase-order', `PO-C${run}`);
    await eventually('issued', async () => (await outbox('PurchaseOrderIssued', poId)).length === 1, 20_000);
    await eventually('marked exported', async () => (await coupaRow('purchase_orders', po.id))?.exported === true, 10_000);
    const cancelled = await coupaApi('PUT', `/api/purchase_orders/${po.id}/cancel`);
    expect(cancelled.status).toBe(200);
    await eventually('PurchaseOrderClosed', async () => (await outbox('PurchaseOrderClosed', poId)).length === 1, 20_000);
    const [closed] = await outbox('PurchaseOrderClosed', poId);
    const row = await coupaRow('purchase_orders', po.id);
    expect(closed!.value).toMatchObject({ poNumber: `PO-C${run}`, reason: 'CANCELLED', envelope: { occurredAt: new Date(row!['updated-at']!) } });
    expect(closed!.eventId).toBe(deterministicEventId('coupa', 'purchase_orders', String(po.id), '2', 'PurchaseOrderClosed'));
    expect(await ds.query('SELECT status, close_reason FROM purchase_orders WHERE purchase_order_id = $1', [poId])).toEqual([{ status: 'CLOSED', close_reason: 'CANCELLED' }]);
    await eventually('cancelled PO marked exported', async () => (await coupaRow('purchase_orders', po.id))?.exported === true, 10_000);
    expect(await outbox('PurchaseOrderClosed', poId)).toHaveLength(1);
  });

  it('Coupa voids carry the right sign end to end: VoidInventoryReceipt reduces the received quantity; pending receipts wait', async () => {
    const po = await createCoupaOrder(`PO-V${run}`);
    const poId = nameBasedId('purchase-order', `PO-V${run}`);
    await eventually('PO in the ERP', async () => (await erpDocuments('PURCHASE_ORDER', poId)).length === 1, 20_000);

    const pending = await createReceivingTransaction(po, 2, '3.0', { status: 'pending_receipt' });
    const receipt = await createReceivingTransaction(po, 1, '600.0');
    await eventually('receipt polled', async () => (await received(poId, 1)) === '600.0000', 20_000);
    await eventually('receipt marked exported', async () => (await coupaRow('receiving_transactions', receipt.id))?.exported === true, 10_000);

    const voided = await coupaApi('PUT', `/api/receiving_transactions/${receipt.id}/void`, { quantity: '200.0' });
    expect(voided.status).toBe(200);
    await eventually('void polled', async () => (await received(poId, 1)) === '400.0000', 20_000);
    const receipts = await outbox('GoodsReceiptRecorded', poId);
    expect(receipts.map((r) => r.value.lines?.[0]?.quantityReceived).sort()).toEqual(['-200.0000', '600.0000']);
    // The voided original is offered again (exported reset, new updated-at): same receipt id, no second effect.
    await eventually('voided original re-marked exported', async () => (await coupaRow('receiving_transactions', receipt.id))?.exported === true, 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await received(poId, 1)).toBe('400.0000');
    expect(await outbox('GoodsReceiptRecorded', poId)).toHaveLength(2);

    // The pending receipt: deferred, not recorded, left unexported so it is read again.
    expect(await received(poId, 2)).toBe('0.0000');
    expect((await coupaRow('receiving_transactions', pending.id))?.exported).toBe(false);

    // In the ERP: the receipt once, against the ERP's PO schedule; the void (a negative quantity) is not sent, and says so.
    await eventually('receipts handled by the ERP sync', async () => (await erpDocuments('RECEIPT', poId)).length === 2, 20_000);
    const docs = await erpDocuments('RECEIPT', poId);
    expect(docs.map((d) => d.status).sort()).toEqual(['CREATED', 'NOT_SENT']);
    expect(docs.find((d) => d.status === 'NOT_SENT')?.detail).toMatch(/line 1 -200\.0000/);
    expect(await erpCalls('POST', '/receivingReceiptRequests')).toHaveLength(1);
    const erpOrder = await erpApi<{ items: { lines: { LineNumber: number; schedules: { QuantityReceived: string }[] }[] }[] }>(`/purchaseOrders?q=${encodeURIComponent(`OrderNumber='PO-V${run}'`)}&expand=lines`);
    expect(erpOrder.body.items[0]!.lines.find((l) => l.LineNumber === 1)?.schedules[0]?.QuantityReceived).toBe('600.00');
  });

  it('a receipt polled before its PO is deferred (unexported, nothing parked) and recorded once the PO arrives', async () => {
    // The PO poller cannot read Coupa for now; the receiving poller can.
    expect((await coupaAdmin('POST', '/faults', { kind: 'http-5xx', status: 503, route: 'GET /api/purchase_orders', times: 100_000 })).status).toBe(201);
    try {
      const po = await createCoupaOrder(`PO-D${run}`);
      const poId = nameBasedId('purchase-order', `PO-D${run}`);
      const receipt = await createReceivingTransaction(po, 1, '7.0');
      const seqs = (await coupaAdmin<{ items: { seq: number }[] }>('GET', '/calls')).body.items.map((c) => c.seq);
      const after = Math.max(0, ...seqs);
      // Two reads started after the transaction was created: the first one's page has been applied (deferred) by then.
      await eventually('receiving transaction read twice', async () => (await coupaAdmin<{ items: unknown[] }>('GET', `/calls?method=GET&path=/api/receiving_transactions&since=${after}`)).body.items.length >= 2, 10_000);
      expect(app.get(ServicePolling).status().find((p) => p.resource === 'receiving_transactions')).not.toHaveProperty('lastError');
      expect((await coupaRow('receiving_transactions', receipt.id))?.exported).toBe(false);
      expect(await ds.query('SELECT count(*)::int AS n FROM receipts WHERE purchase_order_id = $1', [poId])).toEqual([{ n: 0 }]);
      expect(await ds.query('SELECT count(*)::int AS n FROM parked_receipts WHERE po_number = $1', [`PO-D${run}`])).toEqual([{ n: 0 }]);
      expect(await ds.query(`SELECT count(*)::int AS n FROM finmesh_poll_ledger WHERE resource = 'receiving_transactions' AND record_key = $1`, [String(receipt.id)])).toEqual([{ n: 0 }]);
    } finally {
      await coupaAdmin('DELETE', '/faults');
    }
    app.get(ServicePolling).pollNow(); // ends the PO poller's backoff
    const poId = nameBasedId('purchase-order', `PO-D${run}`);
    await eventually('deferred receipt recorded after its PO', async () => (await received(poId, 1)) === '7.0000', 20_000);
    expect(await outbox('GoodsReceiptRecorded', poId)).toHaveLength(1);
  });

  it('a receipt for a PO the ERP does not hold is refused by the ERP simulator, journalled and dead-lettered', async () => {
    const po = await createCoupaOrder(`PO-R${run}`);
    const poId = nameBasedId('purchase-order', `PO-R${run}`);
    await eventually('PO in the ERP', async () => (await erpDocuments('PURCHASE_ORDER', poId)).length === 1, 20_000);
    // The ERP loses every PO (its admin reset): po-sync still believes the PO is there.
    expect((await erpAdmin('POST', '/reset')).status).toBe(204);
    const receipt = await createReceivingTransaction(po, 1, '5.0');
    await eventually('receipt recorded in po-sync', async () => (await received(poId, 1)) === '5.0000', 20_000);
    const receiptId = (await outbox('GoodsReceiptRecorded', poId))[0]!.value.receiptId!;
    await eventually('ERP refusal journalled', async () => (await attempts('RECEIPT', receiptId)).some((a) => a.outcome === 'REJECTED'), 20_000);
    const [refusal] = await attempts('RECEIPT', receiptId);
    expect(refusal).toMatchObject({ outcome: 'REJECTED', http_status: 400, erp_message: expect.stringMatching(/PO-R.* doesn't exist/) });
    expect(await erpDocuments('RECEIPT', poId)).toEqual([]);
    expect(erp.state.receipts.all()).toHaveLength(0);
    // A business refusal is not retried: one attempt, then the dead-letter topic.
    await eventually('GoodsReceiptRecorded dead-lettered', async () => deadLetters.some((d) => d.key === poId && d.code === 'ERP_REJECTED'), 15_000);
    expect(deadLetters.filter((d) => d.key === poId)).toEqual([expect.objectContaining({ code: 'ERP_REJECTED', errorClass: 'PERMANENT' })]);
    expect(await attempts('RECEIPT', receiptId)).toHaveLength(1);
    expect((await coupaRow('receiving_transactions', receipt.id))?.exported).toBe(true);
  });

  it('credentials refused by the ERP (401) stop that document with PLATFORM_AUTH, without retries', async () => {
    expect((await erpAdmin('POST', '/auth/revoke', { username: 'finmesh' })).status).toBe(200);
    try {
      await createCoupaOrder(`PO-A${run}`);
      const poId = nameBasedId('purchase-order', `PO-A${run}`);
      await eventually('auth refusal journalled', async () => (await attempts('PURCHASE_ORDER', poId)).some((a) => a.outcome === 'AUTH_REFUSED'), 20_000);
      await eventually('PurchaseOrderIssued dead-lettered', async () => deadLetters.some((d) => d.key === poId), 15_000);
      expect(deadLetters.filter((d) => d.key === poId)).toEqual([expect.objectContaining({ code: 'PLATFORM_AUTH', errorClass: 'PERMANENT' })]);
      const all = await attempts('PURCHASE_ORDER', poId);
      expect(all).toEqual([expect.objectContaining({ outcome: 'AUTH_REFUSED', http_status: 401, erp_code: 'PLATFORM_AUTH' })]);
      expect(await erpDocuments('PURCHASE_ORDER', poId)).toEqual([]);
      // The Coupa side is unaffected: the PO was issued in finmesh.
      expect(await outbox('PurchaseOrderIssued', poId)).toHaveLength(1);
    } finally {
      await erpAdmin('POST', '/auth/restore', { username: 'finmesh' });
    }
  });
});
