import { EventCodec, localSchemaSource } from '@finmesh/contracts';
import { sourceToPayHistory } from './source-to-pay-history';

describe('sourceToPayHistory', () => {
  const codec = EventCodec.create('http://127.0.0.1:1', localSchemaSource()); // validate() never calls the registry

  it('yields only contract-valid events, with every event type present', () => {
    const seen = new Map<string, number>();
    for (const e of sourceToPayHistory({ flows: 2000, seed: 7 })) {
      expect(() => codec.validate(e.event, e.value)).not.toThrow();
      seen.set(e.event, (seen.get(e.event) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(
      [
        'GoodsReceiptRecorded', 'InvoiceApproved', 'InvoiceMatched', 'InvoicePosted', 'InvoicePostingFailed', 'InvoiceReceived',
        'MatchExceptionRaised', 'PaymentConfirmed', 'PaymentReleased', 'PurchaseOrderChanged', 'PurchaseOrderClosed',
        'PurchaseOrderIssued', 'SupplierBlocked', 'SupplierUnblocked', 'SupplierUpserted',
      ].sort(),
    );
    expect(seen.get('PurchaseOrderIssued')).toBe(2000);
  });

  it('is deterministic per seed and unique in event ids', () => {
    const ids = (seed: number) => [...sourceToPayHistory({ flows: 300, seed })].map((e) => (e.value.envelope as { eventId: string }).eventId);
    expect(ids(3)).toEqual(ids(3));
    expect(new Set(ids(3)).size).toBe(ids(3).length);
    expect(ids(3)[0]).not.toEqual(ids(4)[0]);
  });
});
