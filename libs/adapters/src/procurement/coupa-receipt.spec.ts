import { nameBasedId, nameBasedIds, type MappingContext } from '../mapping/mapping-context';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { problemsOf } from '../test-support/mapping-problems';
import { mapCoupaReceipt, mapCoupaReceivingTransaction } from './coupa-receipt';
import { COUPA_RECEIVING_TYPES, coupaReceivingEffect } from './coupa-receiving-types';
import lifecycle from './fixtures/coupa-receiving-lifecycle.json';
import sample from './fixtures/coupa-receiving-transactions.json';

const ctx: MappingContext = {
  ids: nameBasedIds,
  legalEntities: (hint) => (hint.value === 'DE01' ? LEGAL_ENTITIES.DE01 : undefined),
};

type Txn = Record<string, unknown> & { 'order-line': Record<string, unknown> };
const copy = (): Txn[] => JSON.parse(JSON.stringify(sample));
const life = (): Txn[] => JSON.parse(JSON.stringify(lifecycle));
const byId = (id: number): Txn => life().find((t) => t['id'] === id)!;
const quantities = (transactions: unknown[]) => mapCoupaReceipt(transactions, ctx).payload.lines.map((l) => [l.poLineNumber, l.quantityReceived]);

describe('coupaReceivingEffect', () => {
  it('gives every documented type its sign: receipts +, returns -, disposals 0, voids the opposite of their base', () => {
    const signs = Object.fromEntries(COUPA_RECEIVING_TYPES.map((t) => [t, coupaReceivingEffect(t)!.sign]));
    expect(signs).toEqual({
      InventoryReceipt: 1,
      ReceivingQuantityConsumption: 1,
      ReceivingAmountConsumption: 1,
      ReceivingQuantityDisposal: 0,
      ReceivingAmountDisposal: 0,
      ReceivingQuantityReturnToSupplier: -1,
      ReceivingAmountReturnToSupplier: -1,
      VoidInventoryReceipt: -1,
      VoidReceivingQuantityConsumption: -1,
      VoidReceivingAmountConsumption: -1,
      VoidReceivingQuantityDisposal: 0,
      VoidReceivingAmountDisposal: 0,
      VoidReceivingQuantityReturnToSupplier: 1,
      VoidReceivingAmountReturnToSupplier: 1,
    });
    expect(coupaReceivingEffect('ReceivingAmountReturnToSupplier')).toMatchObject({ measure: 'AMOUNT', action: 'RETURN_TO_SUPPLIER', isVoid: false });
    expect(coupaReceivingEffect('VoidReceivingQuantityDisposal', { disposal: 'reduces-received' })?.sign).toBe(1);
    expect(coupaReceivingEffect('InventoryReturn')).toBeUndefined();
  });
});

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

  it('gives voids the opposite sign of their base: a voided receipt takes quantity away, a voided return gives it back', () => {
    expect(quantities([byId(66131)])).toEqual([[1, '-100.0000']]);
    expect(quantities([byId(66132)])).toEqual([[1, '-50.0000']]);
    expect(quantities([byId(66133)])).toEqual([[1, '50.0000']]);
    // A void written with a negative quantity has the same effect: the sign comes from the type.
    expect(quantities([{ ...byId(66131), quantity: '-100.0' }])).toEqual([[1, '-100.0000']]);
    for (const id of [66131, 66132, 66133]) expect(contractProblems('GoodsReceiptRecorded', mapCoupaReceipt([byId(id)], ctx).payload)).toEqual([]);
  });

  it('nets a receipt and its void on one line, and keeps a partially voided original at its own quantity', () => {
    // Partial voids on: the original (status partially_voided) still counts 600, its void record -100.
    expect(quantities([byId(66130), byId(66131)])).toEqual([[1, '500.0000']]);
    expect(quantities([byId(66132), byId(66133), byId(66134)])).toEqual([[3, '0.3333']]);
  });

  it('converts an amount receipt to the received fraction of the amount line (quantity 1 in C62)', () => {
    const { payload } = mapCoupaReceipt([byId(66134)], ctx);
    expect(payload.lines).toEqual([{ poLineNumber: 3, quantityReceived: '0.3333', unitOfMeasure: 'C62' }]);
    expect(quantities([{ ...byId(66134), total: '3000.00' }])).toEqual([[3, '1.0000']]);
    expect(quantities([{ ...byId(66134), type: 'ReceivingAmountReturnToSupplier', total: '300.00' }])).toEqual([[3, '-0.1000']]);
    const noLineTotal = byId(66134);
    delete noLineTotal['order-line']['total'];
    expect(problemsOf(() => mapCoupaReceipt([noLineTotal], ctx))).toEqual([
      { path: '[0].order-line.total', reason: expect.stringContaining('is required for ReceivingAmountConsumption') },
    ]);
  });

  it('leaves disposals and pending receipts out, and refuses a batch that changes nothing', () => {
    expect(quantities([copy()[0], byId(66135)])).toEqual([[1, '600.0000']]);
    expect(quantities([copy()[0], { ...copy()[1], status: 'pending_approval' }])).toEqual([[1, '600.0000']]);
    expect(problemsOf(() => mapCoupaReceipt([byId(66135)], ctx))).toEqual([{ path: '(root)', reason: expect.stringContaining('changes no received quantity') }]);
    const disposalCounts = mapCoupaReceipt([byId(66135)], ctx, { disposal: 'reduces-received' }).payload.lines;
    expect(disposalCounts).toEqual([{ poLineNumber: 1, quantityReceived: '-5.0000', unitOfMeasure: 'EA' }]);
  });

  it('accepts line-num as digit string or number and refuses other line numbers clearly', () => {
    const [first, second] = copy();
    first!['order-line']['line-num'] = 1;
    second!['order-line']['line-num'] = ' 002 ';
    expect(quantities([first, second])).toEqual([[1, '600.0000'], [2, '12.5000']]);
    first!['order-line']['line-num'] = '1.1';
    expect(problemsOf(() => mapCoupaReceipt([first], ctx))).toEqual([
      { path: '[0].order-line.line-num', reason: 'must be a line number: digits only, from 1 to 2147483647 (Coupa sends it as a string), got "1.1"' },
    ]);
  });

  it('reports every bad transaction field at once', () => {
    const txns = copy();
    txns[0]!['quantity'] = '600,0';
    txns[0]!['transaction-date'] = '2025-03-14';
    txns[1]!['order-line']['order-header-number'] = 'PO-4712';
    txns[1]!['type'] = 'InventoryReturn';
    txns[1]!['status'] = 'approved';
    expect(problemsOf(() => mapCoupaReceipt(txns, ctx))).toEqual([
      { path: '[0].transaction-date', reason: 'must be an ISO 8601 timestamp with offset, got "2025-03-14"' },
      { path: '[0].quantity', reason: 'must be a decimal number, got "600,0"' },
      { path: '[1].type', reason: expect.stringMatching(/^must be a documented receiving transaction type \(InventoryReceipt, .*VoidReceivingAmountReturnToSupplier\), got "InventoryReturn"$/) },
      { path: '[1].status', reason: 'must be one of created, voided, partially_voided, pending_receipt, pending_approval, draft, got "approved"' },
      { path: '[1].order-line.order-header-number', reason: 'is PO-4712 but [0].order-line.order-header-number is PO-4711; one receipt covers one order' },
    ]);
  });

  it('refuses a voided original when the instance voids by status (its void is a receipt of its own)', () => {
    expect(problemsOf(() => mapCoupaReceipt([{ ...copy()[0], status: 'voided' }], ctx, { voidProcess: 'status' }))).toEqual([
      { path: '[0].status', reason: expect.stringContaining('map the transaction with mapCoupaReceivingTransaction') },
    ]);
  });

  it('rejects an empty batch', () => {
    expect(problemsOf(() => mapCoupaReceipt([], ctx))).toEqual([{ path: '(root)', reason: 'must be a non-empty array of receiving transactions, got an empty array' }]);
  });
});

describe('mapCoupaReceivingTransaction (one polled transaction)', () => {
  const receipts = (t: unknown, options = {}) => mapCoupaReceivingTransaction(t, ctx, options).map((r) => ({ number: r.payload.receiptNumber, id: r.payload.receiptId, lines: r.payload.lines.map((l) => l.quantityReceived) }));

  it('gives a transaction the receipt id a batch of that one transaction gets, so push and poll do not double', () => {
    const [first] = copy();
    expect(receipts(first)).toEqual([{ number: '66120', id: nameBasedId('goods-receipt', '66120'), lines: ['600.0000'] }]);
    expect(mapCoupaReceipt([first], ctx).payload.receiptId).toBe(nameBasedId('goods-receipt', '66120'));
    expect(receipts(byId(66131))).toEqual([{ number: '66131', id: nameBasedId('goods-receipt', '66131'), lines: ['-100.0000'] }]);
  });

  it('yields nothing for a disposal or a pending receipt', () => {
    expect(receipts(byId(66135))).toEqual([]);
    expect(receipts({ ...copy()[0], status: 'pending_receipt' })).toEqual([]);
  });

  it('with voids recorded by status, a voided transaction is its receipt and its reversal, the same two on every poll', () => {
    const voided = { ...copy()[0], status: 'voided' };
    const expected = [
      { number: '66120', id: nameBasedId('goods-receipt', '66120'), lines: ['600.0000'] },
      { number: '66120:voided', id: nameBasedId('goods-receipt', '66120:voided'), lines: ['-600.0000'] },
    ];
    expect(receipts(voided, { voidProcess: 'status' })).toEqual(expected);
    expect(receipts(voided, { voidProcess: 'status' })).toEqual(expected);
    // With void records (the default), the voided original stays what it was; its Void record reverses it.
    expect(receipts(voided)).toEqual([expected[0]]);
  });

  it('throws one MappingError with every problem of the transaction', () => {
    expect(problemsOf(() => mapCoupaReceivingTransaction({ ...copy()[0], type: 'Receipt', 'transaction-date': null }, ctx))).toEqual([
      { path: 'type', reason: expect.stringContaining('got "Receipt"') },
      { path: 'transaction-date', reason: 'is required' },
    ]);
  });
});
