import { nameBasedId, nameBasedIds, type MappingContext } from '../mapping/mapping-context';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { problemsOf } from '../test-support/mapping-problems';
import { mapCoupaPurchaseOrderChanged, mapCoupaPurchaseOrderIssued } from './coupa-purchase-order';
import sample from './fixtures/coupa-purchase-order.json';

const ctx: MappingContext = {
  ids: nameBasedIds,
  legalEntities: (hint) => (hint.kind === 'chart-of-accounts' && hint.value === 'DE01' ? LEGAL_ENTITIES.DE01 : undefined),
};

function copy(): Record<string, unknown> & { 'order-lines': Record<string, unknown>[] } {
  return JSON.parse(JSON.stringify(sample));
}

describe('mapCoupaPurchaseOrderIssued', () => {
  it('maps header, lines, terms and totals to the canonical order', () => {
    const { payload, legalEntity, occurredAt } = mapCoupaPurchaseOrderIssued(sample, ctx);
    expect(legalEntity).toEqual(LEGAL_ENTITIES.DE01);
    expect(occurredAt.toISOString()).toBe('2025-03-03T08:20:05.000Z');
    expect(payload).toMatchObject({
      purchaseOrderId: nameBasedId('purchase-order', 'PO-4711'),
      poNumber: 'PO-4711',
      revision: 0,
      supplierId: nameBasedId('supplier', '1013'),
      buyer: 'a.schmidt',
      orderDate: '2025-03-03',
      currency: 'EUR',
      paymentTerms: { code: '2/10 Net 30', netDays: 30, discountPercent: '2.0000', discountDays: 10 },
      shipTo: { line1: 'Industriestraße 12', line2: null, city: 'Stuttgart', region: 'BW', postalCode: '70565', country: 'DE' },
      totals: {
        net: { amount: '1250.0000', currency: 'EUR' },
        tax: { amount: '0.0000', currency: 'EUR' },
        gross: { amount: '1250.0000', currency: 'EUR' },
      },
    });
    expect(payload.lines).toEqual([
      {
        lineNumber: 1,
        itemCode: 'HB-M8-40',
        description: 'Hex bolt M8x40, zinc plated',
        quantity: '1000.0000',
        unitOfMeasure: 'EA',
        unitPrice: { amount: '0.125000', currency: 'EUR' },
        amount: { amount: '125.0000', currency: 'EUR' },
        taxCode: null,
        costCenter: { code: 'CC100', name: null },
        glAccount: '4410',
        matchType: 'THREE_WAY',
        needByDate: '2025-03-17',
      },
      {
        lineNumber: 2,
        itemCode: null,
        description: 'Assembly consulting',
        quantity: '12.5000',
        unitOfMeasure: 'HUR',
        unitPrice: { amount: '90.000000', currency: 'EUR' },
        amount: { amount: '1125.0000', currency: 'EUR' },
        taxCode: null,
        costCenter: { code: 'CC200', name: null },
        glAccount: '6300',
        matchType: 'TWO_WAY',
        needByDate: null,
      },
    ]);
    expect(contractProblems('PurchaseOrderIssued', payload)).toEqual([]);
  });

  it('reports every bad field at once with its source path', () => {
    const po = copy();
    po['currency'] = { code: 'eur' };
    po['created-at'] = '03.03.2025';
    const [first, second] = po['order-lines'];
    first!['price'] = '12,5';
    first!['need-by-date'] = '2025-02-30';
    second!['total'] = '1130.00';
    delete (second!['account'] as Record<string, unknown>)['segment-3'];
    expect(problemsOf(() => mapCoupaPurchaseOrderIssued(po, ctx))).toEqual([
      { path: 'created-at', reason: 'must be an ISO date (YYYY-MM-DD), got "03.03.2025"' },
      { path: 'currency.code', reason: 'must be an ISO 4217 currency code (3 upper-case letters), got "eur"' },
      { path: 'order-lines[0].price', reason: 'must be a decimal number, got "12,5"' },
      { path: 'order-lines[0].need-by-date', reason: 'must be an ISO date (YYYY-MM-DD), got "2025-02-30"' },
      { path: 'order-lines[1].total', reason: 'quantity 12.5000 x unit price 90.000000 = 1125.0000, but the line amount is 1130.0000 (tolerance 0.0100)' },
      { path: 'order-lines[1].account.segment-3', reason: 'is required' },
    ]);
  });

  it('checks a header total against the line totals and lines against one legal entity', () => {
    const po = copy();
    po['total'] = '1300.00';
    ((po['order-lines'][1]!['account'] as Record<string, unknown>)['account-type'] as Record<string, unknown>)['name'] = 'US01';
    expect(problemsOf(() => mapCoupaPurchaseOrderIssued(po, ctx))).toEqual([
      { path: 'total', reason: 'is 1300.0000 but the sum of order-lines[].total is 1250.0000' },
      { path: 'order-lines[1].account.account-type.name', reason: 'no legal entity is configured for chart-of-accounts "US01"' },
    ]);
  });

  it('refuses drafts and orders without lines', () => {
    const po = copy();
    po['status'] = 'draft';
    po['order-lines'] = [];
    expect(problemsOf(() => mapCoupaPurchaseOrderIssued(po, ctx))).toEqual([
      { path: 'status', reason: expect.stringContaining('for an issued order, got "draft"') },
      { path: 'order-lines', reason: 'must contain at least 1 item(s), got 0' },
      { path: 'order-lines', reason: 'has no field the legal entity can be derived from' },
    ]);
  });
});

describe('mapCoupaPurchaseOrderChanged', () => {
  it('maps a revised order with the complete line set', () => {
    const po = copy();
    po['version'] = 3;
    po['updated-by'] = { login: 'b.meier' };
    po['order-lines'] = [po['order-lines'][0]!];
    const { payload } = mapCoupaPurchaseOrderChanged(po, ctx, { changeReason: 'Quantity reduced by supplier' });
    expect(payload).toMatchObject({ revision: 2, changeReason: 'Quantity reduced by supplier', changedBy: 'b.meier' });
    expect(payload.lines.map((l) => l.lineNumber)).toEqual([1]);
    expect(payload.totals.net.amount).toBe('125.0000');
    expect(contractProblems('PurchaseOrderChanged', payload)).toEqual([]);
  });
});
