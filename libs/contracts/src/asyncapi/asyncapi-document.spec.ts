import { ALL_TOPICS, EVENT_NAMES, INGRESS_TOPICS } from '../topics/topic-catalog';
import { asyncApiDocument, asyncApiInSync } from './asyncapi-document';

type Doc = {
  channels: Record<string, { address: string; messages: Record<string, unknown>; description: string }>;
  operations: Record<string, { action: string }>;
  components: { messages: Record<string, { payload: { schema: { name: string } }; 'x-finmesh-business-rules': Array<{ record: string; field: string }> }> };
};

describe('AsyncAPI document of the catalog (docs/asyncapi.json)', () => {
  const doc = asyncApiDocument() as unknown as Doc;

  it('lists every canonical and ingress topic with its events, writer and reader', () => {
    const addresses = Object.values(doc.channels).map((c) => c.address);
    expect(addresses.sort()).toEqual([...ALL_TOPICS, ...INGRESS_TOPICS].map((t) => t.name).sort());
    const ingress = Object.values(doc.channels).find((c) => c.address === 'finmesh.ingress.procurement.purchase-order.v1')!;
    expect(Object.keys(ingress.messages)).toEqual(['PurchaseOrderIssued', 'PurchaseOrderClosed', 'GoodsReceiptRecorded']);
    expect(ingress.description).toContain('consumed by po-sync');
    expect(Object.values(doc.operations).map((o) => o.action).sort()).toEqual([...ALL_TOPICS.map(() => 'send'), ...INGRESS_TOPICS.map(() => 'receive')].sort());
  });

  it('carries every event with its Avro schema and the business rules that apply to it', () => {
    expect(Object.keys(doc.components.messages).sort()).toEqual([...EVENT_NAMES].sort());
    const payment = doc.components.messages['PaymentConfirmed']!;
    expect(payment.payload.schema.name).toBe('PaymentConfirmed');
    expect(payment['x-finmesh-business-rules']).toEqual(expect.arrayContaining([expect.objectContaining({ record: 'finmesh.payment.PaymentConfirmed', field: 'allocations', minItems: 1 })]));
    expect(payment['x-finmesh-business-rules'].some((r) => r.record === 'finmesh.purchaseorder.PurchaseOrderIssued')).toBe(false);
  });

  it('is committed as generated (npm run schemas:types)', () => {
    expect(asyncApiInSync()).toEqual({ inSync: true });
  });
});
