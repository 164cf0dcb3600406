import { checkReceipt, type OrderState } from './receipt-checks';

const order: OrderState = {
  poNumber: 'PO-1',
  status: 'OPEN',
  lines: [
    { lineNumber: 1, orderedQty: '1000.0000', receivedQty: '600.0000', unitOfMeasure: 'EA', cancelled: false },
    { lineNumber: 2, orderedQty: '12.5000', receivedQty: '0.0000', unitOfMeasure: 'HUR', cancelled: false },
    { lineNumber: 3, orderedQty: '1.0000', receivedQty: '0.0000', unitOfMeasure: 'EA', cancelled: true },
  ],
};

describe('checkReceipt', () => {
  it('parks receipts for unknown or closed orders', () => {
    expect(checkReceipt(undefined, 'PO-9', [])).toEqual({ kind: 'park', reason: expect.stringMatching(/PO-9 is not known/) });
    expect(checkReceipt({ ...order, status: 'CLOSED' }, 'PO-1', [])).toEqual({ kind: 'park', reason: expect.stringMatching(/CLOSED/) });
  });

  it('parks with every reason: unknown line, cancelled line, other unit, return beyond received', () => {
    const r = checkReceipt(order, 'PO-1', [
      { poLineNumber: 7, quantityReceived: '1.0000', unitOfMeasure: 'EA' },
      { poLineNumber: 3, quantityReceived: '1.0000', unitOfMeasure: 'EA' },
      { poLineNumber: 2, quantityReceived: '1.0000', unitOfMeasure: 'EA' },
      { poLineNumber: 1, quantityReceived: '-600.0001', unitOfMeasure: 'EA' },
    ]);
    expect(r.kind).toBe('park');
    const reason = r.kind === 'park' ? r.reason : '';
    expect(reason).toMatch(/no line 7/);
    expect(reason).toMatch(/line 3 .* cancelled/);
    expect(reason).toMatch(/received in EA but ordered in HUR/);
    expect(reason).toMatch(/returning 600.0001 exceeds the 600.0000 received/);
  });

  it('accepts and flags an over-receipt with exact decimals', () => {
    const r = checkReceipt(order, 'PO-1', [
      { poLineNumber: 1, quantityReceived: '400.0001', unitOfMeasure: 'EA' },
      { poLineNumber: 2, quantityReceived: '12.5000', unitOfMeasure: 'HUR' },
    ]);
    expect(r).toEqual({
      kind: 'accept',
      lines: [
        { lineNumber: 1, quantity: '400.0001', receivedAfter: '1000.0001', orderedQty: '1000.0000', overReceipt: true },
        { lineNumber: 2, quantity: '12.5000', receivedAfter: '12.5000', orderedQty: '12.5000', overReceipt: false },
      ],
    });
  });
});
