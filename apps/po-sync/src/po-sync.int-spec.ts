import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { nameBasedId } from '@finmesh/adapters';
import {
  EventCodec,
  localSchemaSource,
  newEnvelope,
  topicNameFor,
  type InvoiceApproved,
  type InvoiceMatched,
  type SupplierBlocked,
  type SupplierUnblocked,
} from '@finmesh/contracts';
import { publishEvent } from '@finmesh/messaging';
import { mintDevToken, type Role } from '@finmesh/service-kit';
import { createTestSchema, dropTestSchema, env, eventually, provisionTestNamespace, sampleValue, startServiceUnderTest, testKafka, TopicRecorder, withPg } from '@finmesh/testing';
import { PoSyncService } from './service';

const SECRET = 'po-sync-test-secret-0123456789abcdef0123';
const fixtures = join(__dirname, '../../../libs/adapters/src/procurement/fixtures');
const PO_FIXTURE = JSON.parse(readFileSync(join(fixtures, 'coupa-purchase-order.json'), 'utf8')) as Record<string, unknown> & { 'order-lines': Record<string, unknown>[] };
const RECEIPT_FIXTURE = JSON.parse(readFileSync(join(fixtures, 'coupa-receiving-transactions.json'), 'utf8')) as (Record<string, unknown> & { 'order-line': Record<string, unknown> })[];
const DE01 = { code: 'DE01', country: 'DE', name: null };

interface LineView { lineNumber: number; orderedQty: string; receivedQty: string; invoicedQty: string; overReceived: boolean; cancelled: boolean }
type Body = Record<string, unknown> & { lines?: LineView[]; problems?: { path: string }[] };

describe('po-sync: orders, receipts, parked receipts and invoiced quantities', () => {
  let app: INestApplication;
  let url: string;
  let schema: string;
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let recorder: TopicRecorder;
  let producer: Producer;
  const codec = EventCodec.create(env.registryUrl, localSchemaSource());
  const run = Date.now().toString(36);
  const poNumber = `PO-${run}`;
  const poId = nameBasedId('purchase-order', poNumber);
  let transactionId = Date.now();

  /** Coupa order at `version`; each version here is one internal revision, counted from 0 (finmesh's revision is internal-revision). */
  function coupaOrder(version: number, lines = PO_FIXTURE['order-lines'], number = poNumber): Record<string, unknown> {
    return { ...PO_FIXTURE, 'po-number': number, version, 'internal-revision': version - 1, 'updated-at': new Date(Date.parse('2025-03-03T09:20:05+01:00') + version * 60_000).toISOString(), 'order-lines': lines };
  }
  /** One receiving transaction per [line, quantity], with fresh transaction ids (a new receipt). */
  function coupaReceipt(lines: [number, string][], number = poNumber, uom?: string): Record<string, unknown>[] {
    return lines.map(([line, quantity]) => {
      const template = RECEIPT_FIXTURE[line === 2 ? 1 : 0]!;
      return { ...template, id: ++transactionId, quantity, ...(uom ? { uom: { code: uom } } : {}), 'order-line': { ...template['order-line'], 'line-num': line, 'order-header-number': number } };
    });
  }
  const token = (roles: Role[], clientId = 'coupa-eu') => mintDevToken({ clientId, roles, secret: SECRET });

  async function call(method: string, path: string, body?: unknown, auth?: string | null, key: string = randomUUID()) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'idempotency-key': key,
        ...(auth === null ? {} : { authorization: `Bearer ${auth ?? (await token(['procurement-platform']))}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Body, headers: res.headers };
  }
  const getOrder = async () => (await call('GET', `/v1/purchase-orders/${poId}`, undefined, await token(['ap-platform'], 'ap'))).body;
  const line = (order: Body, n: number) => order.lines?.find((l) => l.lineNumber === n);

  function invoiceMatched(invoiceId: string, lines: [number, string][]): InvoiceMatched {
    const sample = sampleValue(localSchemaSource().latestSchema('InvoiceMatched'), 'logical') as InvoiceMatched;
    const result = sample.lineResults[0]!;
    return {
      envelope: newEnvelope('InvoiceMatched', { sourcePlatform: 'FINMESH', legalEntity: DE01 }),
      invoiceId, supplierId: nameBasedId('supplier', '1013'), purchaseOrderId: poId, matchType: 'THREE_WAY',
      lineResults: lines.map(([poLineNumber, q], i) => ({ ...result, invoiceLineNumber: i + 1, poLineNumber, invoicedQuantity: q, orderedQuantity: '1000.0000', receivedQuantity: null, priceVariance: { amount: '0.0000', currency: 'EUR' }, withinTolerance: true })),
    };
  }
  async function publishInvoiceEvent(event: 'InvoiceMatched' | 'InvoiceApproved' | 'InvoiceReceived', value: { envelope: { eventId: string }; invoiceId: string }) {
    await publishEvent(producer, codec, { event, key: value.invoiceId, value, eventId: value.envelope.eventId, topic: topicNameFor(event, ns.prefix) });
  }

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    schema = await createTestSchema();
    ({ app, url } = await startServiceUnderTest(PoSyncService, { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }));
    recorder = await TopicRecorder.start(topicNameFor('PurchaseOrderIssued', ns.prefix));
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await recorder?.stop();
    await app?.close();
    await ns?.cleanup();
    if (schema) await dropTestSchema(schema);
  });

  it('issues a new order (201) with PurchaseOrderIssued, and replays an Idempotency-Key without a second event', async () => {
    const key = randomUUID();
    const first = await call('POST', '/v1/procurement/purchase-orders', coupaOrder(1), undefined, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ outcome: 'issued', purchaseOrderId: poId, poNumber, status: 'OPEN', revision: 0, currency: 'EUR', legalEntity: { code: 'DE01' } });
    expect(line(first.body, 1)).toMatchObject({ orderedQty: '1000.0000', receivedQty: '0.0000', invoicedQty: '0.0000', overReceived: false });
    const replay = await call('POST', '/v1/procurement/purchase-orders', coupaOrder(1), undefined, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    // Without the key, the same revision again is recognised as a re-send: 200, nothing published.
    expect((await call('POST', '/v1/procurement/purchase-orders', coupaOrder(1))).body).toMatchObject({ outcome: 'unchanged', revision: 0 });
    await eventually('PurchaseOrderIssued on the topic', async () => recorder.of('PurchaseOrderIssued', poId).length === 1, 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(recorder.of('PurchaseOrderIssued', poId)).toHaveLength(1);
    expect(recorder.of('PurchaseOrderIssued', poId)[0]!.value).toMatchObject({ poNumber, revision: 0, supplierId: nameBasedId('supplier', '1013') });
  });

  it('records a receipt: received qty updated and GoodsReceiptRecorded published; a re-send is a duplicate', async () => {
    const receipt = coupaReceipt([[1, '600.0'], [2, '12.5']]);
    const r = await call('POST', '/v1/procurement/receipts', receipt);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ purchaseOrderId: poId, duplicate: false, overReceipt: false });
    const order = await getOrder();
    expect(line(order, 1)).toMatchObject({ receivedQty: '600.0000' });
    expect(line(order, 2)).toMatchObject({ receivedQty: '12.5000' });
    await eventually('GoodsReceiptRecorded on the topic', async () => recorder.of('GoodsReceiptRecorded', poId).length === 1);
    expect(recorder.of('GoodsReceiptRecorded', poId)[0]!.value).toMatchObject({
      receiptId: r.body['receiptId'],
      lines: [{ poLineNumber: 1, quantityReceived: '600.0000', unitOfMeasure: 'EA' }, { poLineNumber: 2, quantityReceived: '12.5000', unitOfMeasure: 'HUR' }],
    });
    const again = await call('POST', '/v1/procurement/receipts', receipt);
    expect(again).toMatchObject({ status: 200, body: { duplicate: true, receiptId: r.body['receiptId'] } });
    expect(line(await getOrder(), 1)).toMatchObject({ receivedQty: '600.0000' });
  });

  it('accepts an over-receipt and flags it', async () => {
    const r = await call('POST', '/v1/procurement/receipts', coupaReceipt([[1, '450']]));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ overReceipt: true, lines: [{ lineNumber: 1, receivedAfter: '1050.0000', orderedQty: '1000.0000', overReceipt: true }] });
    expect(line(await getOrder(), 1)).toMatchObject({ receivedQty: '1050.0000', overReceived: true });
  });

  it('counts InvoiceMatched once per invoice even when delivered twice', async () => {
    const matched = invoiceMatched(`inv-${run}-1`, [[1, '400.0000'], [2, '10.0000']]);
    await publishInvoiceEvent('InvoiceMatched', matched);
    await publishInvoiceEvent('InvoiceMatched', matched); // redelivery: same event id
    const second = invoiceMatched(`inv-${run}-2`, [[1, '100.0000']]);
    await publishInvoiceEvent('InvoiceMatched', second);
    await eventually('invoiced qty', async () => line(await getOrder(), 1)?.invoicedQty === '500.0000');
    await new Promise((r) => setTimeout(r, 1500)); // a double count would have landed by now
    const order = await getOrder();
    expect(line(order, 1)).toMatchObject({ invoicedQty: '500.0000' });
    expect(line(order, 2)).toMatchObject({ invoicedQty: '10.0000' });
  });

  it('counts an OVERRIDE approval with the PO line quantities captured from InvoiceReceived', async () => {
    const invoiceId = `inv-${run}-3`;
    const received = sampleValue(localSchemaSource().latestSchema('InvoiceReceived'), 'logical') as Record<string, unknown> & { lines: Record<string, unknown>[] };
    await publishInvoiceEvent('InvoiceReceived', {
      ...received, invoiceId, purchaseOrderId: poId, envelope: newEnvelope('InvoiceReceived', { sourcePlatform: 'AP_AUTOMATION', legalEntity: DE01 }),
      lines: [{ ...received.lines[0], lineNumber: 1, poLineNumber: 2, quantity: '2.5000' }],
    } as never);
    const approved: InvoiceApproved = {
      envelope: newEnvelope('InvoiceApproved', { sourcePlatform: 'FINMESH', legalEntity: DE01 }),
      invoiceId, approvedBy: 'ap.clerk', mode: 'OVERRIDE', reason: 'quantity confirmed with supplier', overriddenExceptionIds: [randomUUID()],
    };
    await publishInvoiceEvent('InvoiceApproved', approved);
    await eventually('override counted', async () => line(await getOrder(), 2)?.invoicedQty === '12.5000');
  });

  it('changes an order to a new revision without losing received or invoiced quantities', async () => {
    const [l1, l2] = PO_FIXTURE['order-lines'];
    const lines = [{ ...l1, quantity: '1200.0', total: '150.00' }, { ...l2, 'line-num': 3 }];
    const r = await call('POST', '/v1/procurement/purchase-orders', coupaOrder(2, lines));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ outcome: 'changed', revision: 1, status: 'OPEN' });
    expect(line(r.body, 1)).toMatchObject({ orderedQty: '1200.0000', receivedQty: '1050.0000', invoicedQty: '500.0000', overReceived: false, cancelled: false });
    // Line 2 is absent from revision 1: cancelled, its quantities kept.
    expect(line(r.body, 2)).toMatchObject({ cancelled: true, receivedQty: '12.5000', invoicedQty: '12.5000' });
    expect(line(r.body, 3)).toMatchObject({ orderedQty: '12.5000', receivedQty: '0.0000' });
    await eventually('PurchaseOrderChanged on the topic', async () => recorder.of('PurchaseOrderChanged', poId).length === 1);
    expect(recorder.of('PurchaseOrderChanged', poId)[0]!.value).toMatchObject({ revision: 1, changedBy: 'a.schmidt' });
    const stale = await call('POST', '/v1/procurement/purchase-orders', coupaOrder(1, [{ ...l1, description: 'other' }]));
    expect(stale.status).toBe(409);
  });

  it('refuses receipts for an unknown order or line with 409, parks them and lists them for ops', async () => {
    const unknownPo = await call('POST', '/v1/procurement/receipts', coupaReceipt([[1, '5']], `PO-${run}-NOPE`));
    expect(unknownPo.status).toBe(409);
    expect(unknownPo.body).toMatchObject({ parkedId: expect.any(String), reason: expect.stringMatching(/PO-.*-NOPE is not known/) });
    const unknownLine = await call('POST', '/v1/procurement/receipts', coupaReceipt([[9, '5']]));
    expect(unknownLine.status).toBe(409);
    expect(unknownLine.body['reason']).toMatch(/has no line 9/);
    const queue = await call('GET', '/v1/ops/parked-receipts', undefined, await token(['ops'], 'ops-desk'));
    expect(queue.status).toBe(200);
    const items = queue.body['items'] as { parkedId: string; reason: string; poNumber: string; payload: unknown }[];
    expect(items.map((i) => i.parkedId)).toEqual(expect.arrayContaining([unknownPo.body['parkedId'], unknownLine.body['parkedId']]));
    expect(items.find((i) => i.parkedId === unknownPo.body['parkedId'])).toMatchObject({ poNumber: `PO-${run}-NOPE`, payload: [expect.objectContaining({ quantity: '5' })] });
    expect((await call('GET', '/v1/ops/parked-receipts', undefined, await token(['procurement-platform']))).status).toBe(403);
    expect(recorder.of('GoodsReceiptRecorded', poId)).toHaveLength(2);
  });

  it('records a parked receipt once its order arrives, and resolves the queue entry', async () => {
    const early = `PO-${run}-EARLY`;
    const receipt = coupaReceipt([[1, '10']], early);
    const parked = await call('POST', '/v1/procurement/receipts', receipt);
    expect(parked.status).toBe(409);
    // The same receipt again while still unknown: the open queue entry is updated, not duplicated.
    expect((await call('POST', '/v1/procurement/receipts', receipt)).body['parkedId']).toBe(parked.body['parkedId']);
    expect((await call('POST', '/v1/procurement/purchase-orders', coupaOrder(1, PO_FIXTURE['order-lines'], early))).status).toBe(201);
    const recorded = await call('POST', '/v1/procurement/receipts', receipt);
    expect(recorded.status).toBe(201);
    const ops = await token(['ops'], 'ops-desk');
    const open = (await call('GET', '/v1/ops/parked-receipts', undefined, ops)).body['items'] as { parkedId: string }[];
    expect(open.map((i) => i.parkedId)).not.toContain(parked.body['parkedId']);
    const all = (await call('GET', '/v1/ops/parked-receipts?include=resolved', undefined, ops)).body['items'] as { parkedId: string; resolution: string | null }[];
    expect(all.find((i) => i.parkedId === parked.body['parkedId'])?.resolution).toBe(`recorded as receipt ${String(recorded.body['receiptId'])}`);
  });

  it('closes an order with PurchaseOrderClosed, then refuses changes, receipts and a second close', async () => {
    const r = await call('POST', `/v1/procurement/purchase-orders/${poId}/close`, { reason: 'SHORT_CLOSED', comment: 'rest not delivered' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'CLOSED', close: { reason: 'SHORT_CLOSED', comment: 'rest not delivered', closedBy: 'coupa-eu' } });
    await eventually('PurchaseOrderClosed on the topic', async () => recorder.of('PurchaseOrderClosed', poId).length === 1);
    expect(recorder.of('PurchaseOrderClosed', poId)[0]!.value).toMatchObject({ poNumber, reason: 'SHORT_CLOSED', closedBy: 'coupa-eu' });
    const change = await call('POST', '/v1/procurement/purchase-orders', coupaOrder(3));
    expect(change.status).toBe(409);
    expect(change.body['reason']).toMatch(/is CLOSED; a closed order cannot be changed/);
    expect((await call('POST', '/v1/procurement/receipts', coupaReceipt([[1, '1']]))).body['reason']).toMatch(/CLOSED/);
    expect((await call('POST', `/v1/procurement/purchase-orders/${poId}/close`, { reason: 'COMPLETED' })).status).toBe(409);
    const bad = await call('POST', `/v1/procurement/purchase-orders/${poId}/close`, { reason: 'BORED', comment: 7 });
    expect(bad.status).toBe(422);
    expect(bad.body.problems?.map((p) => p.path)).toEqual(['reason', 'comment']);
    expect((await call('POST', `/v1/procurement/purchase-orders/${randomUUID()}/close`, { reason: 'COMPLETED' })).status).toBe(404);
  });

  it('audits issue, receipts, change and close with actor, before/after and the emitted event id', async () => {
    const { rows } = await withPg((pg) =>
      pg.query<{ action: string; actor: string; before: Record<string, unknown> | null; after: Record<string, unknown>; causing_event_id: string }>(
        `SELECT action, actor, before, after, causing_event_id FROM finmesh_audit.audit_log WHERE entity_type = 'purchase_order' AND entity_id = $1 ORDER BY id`,
        [poId],
      ),
    );
    expect(rows.map((r) => r.action)).toEqual([
      'purchase_order.issued', 'purchase_order.receipt_recorded', 'purchase_order.receipt_recorded', 'purchase_order.changed', 'purchase_order.closed',
    ]);
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set(['coupa-eu']));
    expect(rows[0]).toMatchObject({ before: null, after: { poNumber, status: 'OPEN', revision: 0, currency: 'EUR' } });
    expect(rows[0]!.causing_event_id).toBe(recorder.of('PurchaseOrderIssued', poId)[0]!.value.envelope.eventId);
    expect(rows[1]).toMatchObject({
      before: { lines: [{ lineNumber: 1, receivedQty: '0.0000' }, { lineNumber: 2, receivedQty: '0.0000' }] },
      after: { lines: [{ lineNumber: 1, receivedQty: '600.0000' }, { lineNumber: 2, receivedQty: '12.5000' }] },
      causing_event_id: recorder.of('GoodsReceiptRecorded', poId)[0]!.value.envelope.eventId,
    });
    expect(rows[3]).toMatchObject({ before: { revision: 0 }, after: { revision: 1 } });
    expect(rows[4]).toMatchObject({ before: { status: 'OPEN' }, after: { status: 'CLOSED', closeReason: 'SHORT_CLOSED' } });
    expect(rows[4]!.causing_event_id).toBe(recorder.of('PurchaseOrderClosed', poId)[0]!.value.envelope.eventId);
  });

  it('answers 422 listing every bad field of an unmappable order, publishing nothing', async () => {
    const number = `PO-${run}-BAD`;
    const [l1] = PO_FIXTURE['order-lines'];
    const r = await call('POST', '/v1/procurement/purchase-orders', { ...coupaOrder(1, [{ ...l1, price: '12,5' }], number), currency: { code: 'EURO' } });
    expect(r.status).toBe(422);
    expect(r.body.problems?.map((p) => p.path)).toEqual(expect.arrayContaining(['currency.code', 'order-lines[0].price']));
    const id = nameBasedId('purchase-order', number);
    expect((await call('GET', `/v1/purchase-orders/${id}`, undefined, await token(['ops']))).status).toBe(404);
    expect(recorder.events.filter((e) => e.key === id)).toHaveLength(0);
  });

  it('answers 401 without a token and 403 for roles the endpoint does not admit', async () => {
    expect((await call('POST', '/v1/procurement/purchase-orders', coupaOrder(1), null)).status).toBe(401);
    expect((await call('POST', '/v1/procurement/receipts', coupaReceipt([[1, '1']]), await token(['erp-platform']))).status).toBe(403);
    expect((await call('GET', `/v1/purchase-orders/${poId}`, undefined, await token(['reporting-reader']))).status).toBe(403);
    expect((await call('GET', `/v1/purchase-orders/${poId}`, undefined, await token(['finance-approver']))).status).toBe(200);
  });

  it('refuses (403) an order, a receipt or a close for a legal entity outside the token\'s scope, and writes nothing', async () => {
    const usOnly = await mintDevToken({ clientId: 'coupa-us', roles: ['procurement-platform'], secret: SECRET, legalEntities: ['US01'] });
    const order = await call('POST', '/v1/procurement/purchase-orders', coupaOrder(1), usOnly);
    expect(order.status).toBe(403);
    expect(order.body['detail']).toMatch(/^client 'coupa-us' may act on legal entities \[US01\]; purchase order .+ belongs to legal entity DE01$/);
    expect((await call('POST', '/v1/procurement/receipts', coupaReceipt([[1, '1']]), usOnly)).status).toBe(403);
    const before = await getOrder();
    expect((await call('POST', `/v1/procurement/purchase-orders/${poId}/close`, { reason: 'CANCELLED' }, usOnly)).status).toBe(403);
    expect(await getOrder()).toEqual(before);
    expect((await call('GET', `/v1/purchase-orders/${poId}`, undefined, usOnly)).status).toBe(404);
  });

  it('accepts a PO and a receipt of a supplier blocked for purchasing, flags both for ops, and flags nothing once the hold is lifted', async () => {
    const supplierId = nameBasedId('supplier', '1013');
    const blockedAt = new Date();
    const blocked: SupplierBlocked = {
      envelope: newEnvelope('SupplierBlocked', { sourcePlatform: 'ERP', legalEntity: DE01, occurredAt: blockedAt }),
      supplierId, scope: 'PURCHASING', reasonCode: 'SITE_PURCHASING_HOLD', reason: 'quality audit pending', blockedBy: 'AP.MANAGER',
    };
    await publishEvent(producer, codec, { event: 'SupplierBlocked', key: supplierId, value: blocked, eventId: blocked.envelope.eventId, topic: topicNameFor('SupplierBlocked', ns.prefix) });
    const blockKnown = async () => (await withPg((pg) => pg.query(`SELECT 1 FROM "${schema}".supplier_blocks WHERE supplier_id = $1`, [supplierId]))).rows.length === 1;
    await eventually('supplier block replicated', blockKnown);

    const heldNumber = `PO-HELD-${randomUUID().slice(0, 6)}`;
    const issued = await call('POST', '/v1/procurement/purchase-orders', coupaOrder(1, PO_FIXTURE['order-lines'], heldNumber));
    expect(issued.status).toBe(201);
    const heldId = nameBasedId('purchase-order', heldNumber);
    const view = (await call('GET', `/v1/purchase-orders/${heldId}`, undefined, await token(['ops'], 'ops'))).body;
    expect(view['supplierBlocked']).toMatchObject({ documentKind: 'purchase_order', supplierId, scope: 'PURCHASING', reasonCode: 'SITE_PURCHASING_HOLD' });
    const receipt = await call('POST', '/v1/procurement/receipts', coupaReceipt([[1, '5']], heldNumber));
    expect(receipt.status).toBe(201);
    const flagged = (await call('GET', '/v1/ops/blocked-supplier-documents', undefined, await token(['ops'], 'ops'))).body as unknown as { items: { documentKind: string; documentId: string }[] };
    expect(flagged.items).toEqual(expect.arrayContaining([
      expect.objectContaining({ documentKind: 'purchase_order', documentId: heldId }),
      expect.objectContaining({ documentKind: 'receipt', documentId: receipt.body['receiptId'] }),
    ]));

    const unblocked: SupplierUnblocked = {
      envelope: newEnvelope('SupplierUnblocked', { sourcePlatform: 'ERP', legalEntity: DE01 }),
      supplierId, scope: 'PURCHASING', reason: 'audit passed', unblockedBy: 'AP.MANAGER',
    };
    await publishEvent(producer, codec, { event: 'SupplierUnblocked', key: supplierId, value: unblocked, eventId: unblocked.envelope.eventId, topic: topicNameFor('SupplierUnblocked', ns.prefix) });
    await eventually('supplier block lifted', async () => !(await blockKnown()));
    const freeNumber = `PO-FREE-${randomUUID().slice(0, 6)}`;
    expect((await call('POST', '/v1/procurement/purchase-orders', coupaOrder(1, PO_FIXTURE['order-lines'], freeNumber))).status).toBe(201);
    const free = (await call('GET', `/v1/purchase-orders/${nameBasedId('purchase-order', freeNumber)}`, undefined, await token(['ops'], 'ops'))).body;
    expect(free['supplierBlocked']).toBeNull();
  });
});
