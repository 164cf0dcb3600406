import { nameBasedId, nameBasedIds, type MappingContext } from '../mapping/mapping-context';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { problemsOf } from '../test-support/mapping-problems';
import { mapCoupaPurchaseOrderChanged, mapCoupaPurchaseOrderIssued } from './coupa-purchase-order';
import { mapCoupaPurchaseOrderClosure } from './coupa-purchase-order-closure';
import { COUPA_CLOSED_ORDER_STATUSES, COUPA_OPEN_ORDER_STATUSES } from './coupa-purchase-order-status';
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
      revision: 2,
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

  it('accepts every documented open header status, and sends closing ones to the closure mapper', () => {
    for (const status of COUPA_OPEN_ORDER_STATUSES) expect(mapCoupaPurchaseOrderIssued({ ...copy(), status }, ctx).payload.poNumber).toBe('PO-4711');
    for (const status of COUPA_CLOSED_ORDER_STATUSES) {
      expect(problemsOf(() => mapCoupaPurchaseOrderIssued({ ...copy(), status }, ctx))).toEqual([{ path: 'status', reason: expect.stringContaining('mapCoupaPurchaseOrderClosure') }]);
    }
    // Line states are the line's business, not the header's.
    expect(problemsOf(() => mapCoupaPurchaseOrderIssued({ ...copy(), status: 'soft_closed_for_receiving' }, ctx))).toEqual([
      { path: 'status', reason: expect.stringContaining('must be a Coupa PO status') },
    ]);
    const po = copy();
    po['order-lines'][0]!['status'] = 'soft_closed_for_receiving';
    po['order-lines'][1]!['status'] = 'currently_with_supplier';
    expect(mapCoupaPurchaseOrderIssued(po, ctx).payload.lines).toHaveLength(2);
  });

  it("maps each line's own match-type, falling back to receipt-required", () => {
    const po = copy();
    const kinds = ['3-way', '3-way-fifo', 'direct_matching', '2-way', 'none'];
    po['order-lines'] = kinds.map((matchType, i) => ({ ...po['order-lines'][1]!, 'line-num': String(i + 1), 'match-type': matchType, 'receipt-required': true }));
    po['order-lines'].push({ ...po['order-lines'][0]!, 'line-num': '6', 'match-type': null, 'receipt-required': true });
    expect(mapCoupaPurchaseOrderIssued(po, ctx).payload.lines.map((l) => l.matchType)).toEqual(['THREE_WAY', 'THREE_WAY', 'THREE_WAY', 'TWO_WAY', 'TWO_WAY', 'THREE_WAY']);
    po['order-lines'][0]!['match-type'] = '3way';
    expect(problemsOf(() => mapCoupaPurchaseOrderIssued(po, ctx))).toEqual([
      { path: 'order-lines[0].match-type', reason: 'must be one of 3-way-fifo, 3-way, 2-way, direct_matching, none, got "3way"' },
    ]);
  });

  it('takes the revision from internal-revision, so an internal edit (same version) is a new revision', () => {
    const edited = { ...copy(), 'internal-revision': 3, 'updated-at': '2025-03-04T10:00:00+01:00' };
    expect(mapCoupaPurchaseOrderIssued(edited, ctx).payload.revision).toBe(3);
    expect(mapCoupaPurchaseOrderIssued({ ...copy(), version: 2, 'internal-revision': 7 }, ctx).payload.revision).toBe(7);
    const noRevision = copy();
    delete noRevision['internal-revision'];
    expect(problemsOf(() => mapCoupaPurchaseOrderIssued(noRevision, ctx))).toEqual([{ path: 'internal-revision', reason: expect.stringContaining('is required') }]);
  });

  it('accepts line-num as a digit string or a number, and explains any other', () => {
    const po = copy();
    po['order-lines'][0]!['line-num'] = 10;
    po['order-lines'][1]!['line-num'] = '0020';
    expect(mapCoupaPurchaseOrderIssued(po, ctx).payload.lines.map((l) => l.lineNumber)).toEqual([10, 20]);
    po['order-lines'][0]!['line-num'] = '10-A';
    po['order-lines'][1]!['line-num'] = '0';
    expect(problemsOf(() => mapCoupaPurchaseOrderIssued(po, ctx))).toEqual([
      { path: 'order-lines[0].line-num', reason: 'must be a line number: digits only, from 1 to 2147483647 (Coupa sends it as a string), got "10-A"' },
      { path: 'order-lines[1].line-num', reason: 'must be a line number: digits only, from 1 to 2147483647 (Coupa sends it as a string), got "0"' },
    ]);
  });
});

describe('mapCoupaPurchaseOrderClosure', () => {
  it('is null for an order that is not cancelled or closed', () => {
    expect(mapCoupaPurchaseOrderClosure(sample, ctx)).toBeNull();
    expect(mapCoupaPurchaseOrderClosure({ ...copy(), status: 'supplier_hold' }, ctx)).toBeNull();
  });

  it('maps cancelled (both spellings) to CANCELLED and closed to COMPLETED or SHORT_CLOSED from the invoiced figures', () => {
    const updated = { 'updated-at': '2025-04-02T11:00:00+02:00', 'updated-by': { login: 'b.meier' } };
    for (const status of ['cancelled', 'canceled']) {
      const closure = mapCoupaPurchaseOrderClosure({ ...copy(), ...updated, status }, ctx);
      expect(closure?.payload).toEqual({ purchaseOrderId: nameBasedId('purchase-order', 'PO-4711'), poNumber: 'PO-4711', reason: 'CANCELLED', comment: 'Cancelled in Coupa', closedBy: 'b.meier' });
      expect(closure?.occurredAt.toISOString()).toBe('2025-04-02T09:00:00.000Z');
      expect(closure?.legalEntity).toEqual(LEGAL_ENTITIES.DE01);
      expect(contractProblems('PurchaseOrderClosed', closure!.payload)).toEqual([]);
    }
    const complete = copy();
    complete['status'] = 'closed';
    complete['order-lines'][0]!['invoiced'] = '1000.0';
    complete['order-lines'][1]!['invoiced'] = '12.5';
    expect(mapCoupaPurchaseOrderClosure(complete, ctx)?.payload.reason).toBe('COMPLETED');
    expect(mapCoupaPurchaseOrderClosure({ ...copy(), status: 'closed' }, ctx)?.payload).toMatchObject({ reason: 'SHORT_CLOSED', comment: 'Closed in Coupa before every line was invoiced' });
    delete complete['order-lines'][1]!['invoiced'];
    expect(mapCoupaPurchaseOrderClosure(complete, ctx)?.payload.reason).toBe('OTHER');
  });

  it('does not hold a closure on line details an issued order would need', () => {
    const po = { ...copy(), status: 'cancelled' };
    po['order-lines'][0]!['price'] = '12,5';
    delete (po['order-lines'][0]!['account'] as Record<string, unknown>)['segment-3'];
    expect(mapCoupaPurchaseOrderClosure(po, ctx)?.payload.reason).toBe('CANCELLED');
  });
});

describe('mapCoupaPurchaseOrderChanged', () => {
  it('maps a revised order with the complete line set', () => {
    const po = copy();
    po['version'] = 3;
    po['internal-revision'] = 9;
    po['updated-by'] = { login: 'b.meier' };
    po['order-lines'] = [po['order-lines'][0]!];
    const { payload } = mapCoupaPurchaseOrderChanged(po, ctx, { changeReason: 'Quantity reduced by supplier' });
    expect(payload).toMatchObject({ revision: 9, changeReason: 'Quantity reduced by supplier', changedBy: 'b.meier' });
    expect(mapCoupaPurchaseOrderChanged({ ...po, 'change-type': 'revision' }, ctx).payload.changeReason).toBe('Revised in Coupa (version 3, internal revision 9, revision)');
    expect(payload.lines.map((l) => l.lineNumber)).toEqual([1]);
    expect(payload.totals.net.amount).toBe('125.0000');
    expect(contractProblems('PurchaseOrderChanged', payload)).toEqual([]);
  });
});
