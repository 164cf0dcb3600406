import { randomUUID } from 'node:crypto';
import { frame, localSchemaSource, sampleValue, type EventName, type GoodsReceiptRecorded, type PurchaseOrderIssued } from '@finmesh/contracts';
import { readDeadLetters, type DeadLetterRecord } from '@finmesh/ops';
import { mintDevToken } from '@finmesh/service-kit';
import { eventually, openIngressTestBed, testKafka, type IngressTestBed } from '@finmesh/testing';
import { PoSyncService } from '../service';

const SECRET = 'po-ingress-test-secret-0123456789abcdef012';

/**
 * A procurement platform producing to its ingress topic instead of calling po-sync: po-sync
 * decides and publishes the canonical events, so it knows every order (an invoice for it no
 * longer meets PO_NOT_FOUND), and what it refuses is dead-lettered with its reason.
 */
describe('po-sync: the procurement ingress topic', () => {
  jest.setTimeout(120_000);
  let bed: IngressTestBed;
  const run = Date.now().toString(36);
  const ingress = (event: EventName) => bed.ingressTopic(event);

  beforeAll(async () => {
    bed = await openIngressTestBed(PoSyncService, { platform: 'procurement', canonicalEvent: 'PurchaseOrderIssued', jwtSecret: SECRET });
  }, 90_000);

  afterAll(async () => {
    await bed?.close();
  });

  function order(id: string, revision: number, quantity: string): PurchaseOrderIssued {
    const sample = sampleValue(localSchemaSource().latestSchema('PurchaseOrderIssued'), 'logical') as PurchaseOrderIssued;
    const line = { ...sample.lines[0]!, lineNumber: 1, quantity, unitOfMeasure: 'EA' };
    return { ...sample, envelope: { ...sample.envelope, eventId: randomUUID(), sourcePlatform: 'PROCUREMENT' }, purchaseOrderId: id, poNumber: id, revision, lines: [line] };
  }

  function receipt(poId: string, receiptId: string): GoodsReceiptRecorded {
    const sample = sampleValue(localSchemaSource().latestSchema('GoodsReceiptRecorded'), 'logical') as GoodsReceiptRecorded;
    return { ...sample, envelope: { ...sample.envelope, eventId: randomUUID(), sourcePlatform: 'PROCUREMENT' }, purchaseOrderId: poId, receiptId, lines: [{ ...sample.lines[0]!, poLineNumber: 1, quantityReceived: '1.0000', unitOfMeasure: 'EA' }] };
  }


  it('issues, changes and receives from ingress records, publishing the canonical events itself', async () => {
    const poId = `PO-ING-${run}`;
    const first = order(poId, 0, '5.0000');
    await bed.produce('PurchaseOrderIssued', first, poId);
    await eventually('PurchaseOrderIssued on the canonical topic', async () => bed.canonical.of('PurchaseOrderIssued', poId).length === 1);
    const issued = bed.canonical.of('PurchaseOrderIssued', poId)[0]!.value;
    expect(issued).toMatchObject({ purchaseOrderId: poId, revision: 0 });
    // po-sync's own event (its outbox), not a copy of the platform's record.
    expect(issued.envelope.eventId).not.toBe(first.envelope.eventId);

    const token = await mintDevToken({ clientId: 'ap', roles: ['ap-platform'], secret: SECRET });
    const view = await fetch(`${bed.url}/v1/purchase-orders/${poId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(view.status).toBe(200);

    await bed.produce('PurchaseOrderIssued', order(poId, 1, '7.0000'), poId);
    await bed.produce('GoodsReceiptRecorded', receipt(poId, `GR-${run}`), poId);
    await eventually('PurchaseOrderChanged and GoodsReceiptRecorded', async () => bed.canonical.of('PurchaseOrderChanged', poId).length === 1 && bed.canonical.of('GoodsReceiptRecorded', poId).length === 1);
    expect(bed.canonical.of('PurchaseOrderChanged', poId)[0]!.value).toMatchObject({ revision: 1, lines: [expect.objectContaining({ quantity: '7.0000' })] });
    expect(bed.canonical.of('PurchaseOrderIssued', poId)).toHaveLength(1);
  });

  it('dead-letters what it refuses, with the reason, and publishes nothing for it', async () => {
    const poId = `PO-REF-${run}`;
    await bed.produce('PurchaseOrderIssued', order(poId, 0, '5.0000'), poId);
    await eventually('the order issued', async () => bed.canonical.of('PurchaseOrderIssued', poId).length === 1);
    // Same revision, other content: one truth, po-sync's.
    await bed.produce('PurchaseOrderIssued', order(poId, 0, '9.0000'), poId);
    // A receipt for an order nobody issued.
    const unknownPo = `PO-NONE-${run}`;
    await bed.produce('GoodsReceiptRecorded', receipt(unknownPo, `GR-NONE-${run}`), unknownPo);
    // Valid Avro, invalid business content: currency ZZZ.
    const bad = { ...order(`PO-ZZZ-${run}`, 0, '1.0000'), currency: 'ZZZ' };
    const schemaId = (await bed.codec.encode('PurchaseOrderIssued', order('x', 0, '1.0000'), ingress('PurchaseOrderIssued'))).schemaId;
    await bed.producer.send({ topic: ingress('PurchaseOrderIssued'), messages: [{ key: bad.purchaseOrderId, value: frame(schemaId, bed.codec.localType('PurchaseOrderIssued').toBuffer(bad)), headers: { 'finmesh-event-id': bad.envelope.eventId } }] });

    const kafka = testKafka();
    let dead: DeadLetterRecord[] = [];
    await eventually('three records dead-lettered', async () => (dead = await readDeadLetters({ kafka, dltTopics: [`${ingress('PurchaseOrderIssued')}.dlt`] })).length >= 3);
    const byKey = new Map(dead.map((d) => [d.key?.toString(), d]));
    expect(byKey.get(poId)?.errorCode).toBe('ORDER_REFUSED');
    expect(byKey.get(poId)?.errorMessage).toContain('already recorded with different content');
    expect(byKey.get(unknownPo)?.errorCode).toBe('PO_NOT_FOUND');
    expect(byKey.get(bad.purchaseOrderId)?.errorCode).toBe('BUSINESS_RULE_VIOLATION');
    expect(byKey.get(bad.purchaseOrderId)?.errorMessage).toContain('rule finmesh.purchaseorder.PurchaseOrderIssued.currency format');
    expect(bed.canonical.of('PurchaseOrderIssued', poId)).toHaveLength(1);
    expect(bed.canonical.of('PurchaseOrderChanged', poId)).toHaveLength(0);
    expect(bed.canonical.of('GoodsReceiptRecorded', unknownPo)).toHaveLength(0);
    expect(bed.canonical.of('PurchaseOrderIssued', bad.purchaseOrderId)).toHaveLength(0);
  });
});
