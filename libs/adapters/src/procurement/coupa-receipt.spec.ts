import { nameBasedId, nameBasedIds, type MappingContext } from '../mapping/mapping-context';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { problemsOf } from '../test-support/mapping-problems';
import { mapCoupaReceipt } from './coupa-receipt';
import sample from './fixtures/coupa-receiving-transactions.json';

const ctx: MappingContext = {
  ids: nameBasedIds,
  legalEntities: (hint) => (hint.value === 'DE01' ? LEGAL_ENTITIES.DE01 : undefined),
};

type Txn = Record<string, unknown> & { 'order-line': Record<string, unknown> };
const copy = (): Txn[] => JSON.parse(JSON.stringify(sample));

describe('mapCoupaReceipt', () => {
  it('groups the transactions of one receipt into GoodsReceiptRecorded', () => {
    const { payload, legalEntity, occurredAt } = mapCoupaReceipt(sample, ctx);
    expect(payload).toEqual({
      purchaseOrderId: nameBasedId('purchase-order', 'PO-4711'),
      receiptId: nameBasedId('goods-receipt', '66120+66121'),
      receiptNumber: '66120+66121',
      supplierId: nameBasedId('supplier', '1013'),
      receivedAt: new Date('2025-03-14T09:01:00.000Z'),
      receivedBy: 'w.lager',
      lines: [
        { poLineNumber: 1, quantityReceived: '600.0000', unitOfMeasure: 'EA' },
        { poLineNumber: 2, quantityReceived: '12.5000', unitOfMeasure: 'HUR' },
      ],
    });
    expect(legalEntity).toEqual(LEGAL_ENTITIES.DE01);
    expect(occurredAt).toEqual(payload.receivedAt);
    expect(contractProblems('GoodsReceiptRecorded', payload)).toEqual([]);
  });

  it('turns a return to supplier into a negative quantity', () => {
    const [first] = copy();
    first!['type'] = 'InventoryReturn';
    expect(mapCoupaReceipt([first], ctx).payload.lines).toEqual([{ poLineNumber: 1, quantityReceived: '-600.0000', unitOfMeasure: 'EA' }]);
  });

  it('reports every bad transaction field at once', () => {
    const txns = copy();
    txns[0]!['quantity'] = '600,0';
    txns[0]!['transaction-date'] = '2025-03-14';
    txns[1]!['order-line']['order-header-number'] = 'PO-4712';
    txns[1]!['status'] = 'voided';
    expect(problemsOf(() => mapCoupaReceipt(txns, ctx))).toEqual([
      { path: '[0].transaction-date', reason: 'must be an ISO 8601 timestamp with offset, got "2025-03-14"' },
      { path: '[0].quantity', reason: 'must be a decimal number, got "600,0"' },
      { path: '[1].status', reason: 'is voided; a voided receipt is not a goods receipt' },
      { path: '[1].order-line.order-header-number', reason: 'is PO-4712 but [0].order-line.order-header-number is PO-4711; one receipt covers one order' },
    ]);
  });

  it('rejects an empty batch', () => {
    expect(problemsOf(() => mapCoupaReceipt([], ctx))).toEqual([{ path: '(root)', reason: 'must be a non-empty array of receiving transactions, got an empty array' }]);
  });
});
