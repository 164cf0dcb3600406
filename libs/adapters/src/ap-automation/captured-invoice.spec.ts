import { nameBasedId, nameBasedIds, type MappingContext } from '../mapping/mapping-context';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { problemsOf } from '../test-support/mapping-problems';
import { coupaInvoiceKeys, mapCapturedInvoice } from './captured-invoice';
import { readCoupaInvoiceLifecycle } from './coupa-invoice-lifecycle';
import sample from './fixtures/captured-invoice.json';

const ctx: MappingContext = {
  ids: nameBasedIds,
  legalEntities: (hint) => (hint.kind === 'chart-of-accounts' && hint.value === 'DE01' ? LEGAL_ENTITIES.DE01 : undefined),
};

type Line = Record<string, unknown> & { 'tax-lines': Record<string, unknown>[] };
type Doc = Record<string, unknown> & { 'invoice-lines': Line[] };
const copy = (): Doc => JSON.parse(JSON.stringify(sample));

describe('mapCapturedInvoice (Coupa invoice)', () => {
  it('maps a Coupa PO invoice to InvoiceReceived', () => {
    const { payload, legalEntity, occurredAt } = mapCapturedInvoice(sample, ctx);
    expect(legalEntity).toEqual(LEGAL_ENTITIES.DE01);
    expect(occurredAt.toISOString()).toBe('2025-03-20T08:41:17.000Z');
    expect(payload).toEqual({
      invoiceId: nameBasedId('invoice', '9815'),
      supplierId: nameBasedId('supplier', '1013'),
      supplierInvoiceNumber: 'RE-2025-0815',
      documentType: 'INVOICE',
      invoiceDate: '2025-03-18',
      dueDate: '2025-04-17',
      purchaseOrderId: nameBasedId('purchase-order', 'PO-4711'),
      currency: 'EUR',
      paymentTerms: { code: '2/10 Net 30', netDays: 30, discountPercent: '2.0000', discountDays: 10 },
      lines: [
        {
          lineNumber: 1,
          itemCode: 'HB-M8-40',
          description: 'Sechskantschraube M8x40 verzinkt',
          quantity: '1000.0000',
          unitOfMeasure: 'EA',
          unitPrice: { amount: '0.125000', currency: 'EUR' },
          amount: { amount: '125.0000', currency: 'EUR' },
          taxCode: 'V19',
          costCenter: { code: 'CC100', name: null },
          glAccount: '4410',
          poLineNumber: 1,
        },
        {
          lineNumber: 2,
          itemCode: null,
          description: 'Montageberatung',
          quantity: '12.5000',
          unitOfMeasure: 'HUR',
          unitPrice: { amount: '90.000000', currency: 'EUR' },
          amount: { amount: '1125.0000', currency: 'EUR' },
          taxCode: 'V19',
          costCenter: null,
          glAccount: null,
          poLineNumber: 2,
        },
      ],
      taxLines: [{ taxCode: 'V19', rate: '19.0000', taxableAmount: { amount: '1250.0000', currency: 'EUR' }, amount: { amount: '237.5000', currency: 'EUR' } }],
      totals: { net: { amount: '1250.0000', currency: 'EUR' }, tax: { amount: '237.5000', currency: 'EUR' }, gross: { amount: '1487.5000', currency: 'EUR' } },
      documentUri: 'https://finmesh-demo.coupahost.com/invoices/9815/image_scan.pdf',
    });
    expect(contractProblems('InvoiceReceived', payload)).toEqual([]);
  });

  it('stores a Coupa credit note (negative figures) and one printed positive alike, as negative amounts', () => {
    const positive = { ...copy(), 'document-type': 'Credit Note' };
    const negative = copy();
    negative['document-type'] = 'Credit Note';
    for (const key of ['gross-total', 'total-with-taxes']) negative[key] = '-1487.50';
    for (const l of negative['invoice-lines']) {
      l['quantity'] = `-${String(l['quantity'])}`;
      l['total'] = `-${String(l['total'])}`;
      l['tax-amount'] = `-${String(l['tax-amount'])}`;
      for (const t of l['tax-lines']) t['amount'] = `-${String(t['amount'])}`;
    }
    for (const doc of [positive, negative]) {
      const { payload } = mapCapturedInvoice(doc, ctx);
      expect(payload.documentType).toBe('CREDIT_NOTE');
      expect(payload.totals.gross.amount).toBe('-1487.5000');
      expect(payload.lines[0]?.quantity).toBe('-1000.0000');
      expect(payload.lines[0]?.unitPrice.amount).toBe('0.125000');
      expect(payload.taxLines[0]?.amount.amount).toBe('-237.5000');
      expect(contractProblems('InvoiceReceived', payload)).toEqual([]);
    }
  });

  it('takes header tax when taxes are not at line level, and maps an amount line as quantity 1', () => {
    const doc = copy();
    doc['line-level-taxation'] = false;
    Object.assign(doc, { 'tax-amount': '237.50', 'tax-rate': 19.0, 'tax-code': 'V19' });
    for (const l of doc['invoice-lines']) for (const key of ['tax-lines', 'tax-amount', 'tax-rate', 'tax-code']) delete l[key];
    Object.assign(doc['invoice-lines'][1]!, { type: 'InvoiceAmountLine', quantity: null, price: null, uom: null });
    const { payload } = mapCapturedInvoice(doc, ctx);
    expect(payload.taxLines).toEqual([{ taxCode: 'V19', rate: '19.0000', taxableAmount: { amount: '1250.0000', currency: 'EUR' }, amount: { amount: '237.5000', currency: 'EUR' } }]);
    expect(payload.lines[1]).toMatchObject({ quantity: '1.0000', unitOfMeasure: 'C62', unitPrice: { amount: '1125.000000' }, amount: { amount: '1125.0000' }, taxCode: null });
    expect(contractProblems('InvoiceReceived', payload)).toEqual([]);
  });

  it('maps a non-PO invoice and accepts wide Coupa decimals whose extra digits are zeros', () => {
    const doc = copy();
    for (const l of doc['invoice-lines']) for (const key of ['po-number', 'order-header-num', 'order-line-num']) delete l[key];
    doc['invoice-lines'][0]!['price'] = '0.12500000000000000000';
    const { payload } = mapCapturedInvoice(doc, ctx);
    expect(payload.purchaseOrderId).toBeNull();
    expect(payload.lines.map((l) => l.poLineNumber)).toEqual([null, null]);
    expect(payload.lines[0]?.unitPrice.amount).toBe('0.125000');
  });

  it('reports every inconsistent figure with both values', () => {
    const doc = copy();
    doc['gross-total'] = '1490.00';
    doc['invoice-date'] = '18.03.2025';
    doc['currency'] = { code: 'EURO' };
    const [l1, l2] = doc['invoice-lines'];
    l1!['price'] = '0,125';
    l2!['total'] = '1120.00';
    l2!['order-line-num'] = '2a';
    l1!['tax-lines'][0]!['code'] = null;
    l1!['tax-lines'][0]!['tax-code'] = null;
    l1!['tax-code'] = null;
    expect(problemsOf(() => mapCapturedInvoice(doc, ctx))).toEqual([
      { path: 'invoice-date', reason: 'must be an ISO date (YYYY-MM-DD), got "18.03.2025"' },
      { path: 'currency.code', reason: 'must be an ISO 4217 currency code (3 upper-case letters), got "EURO"' },
      { path: 'invoice-lines[0].price', reason: 'must be a decimal number, got "0,125"' },
      { path: 'invoice-lines[1].total', reason: 'quantity 12.5000 x unit price 90.000000 = 1125.0000, but the line amount is 1120.0000 (tolerance 0.0100)' },
      { path: 'invoice-lines[1].order-line-num', reason: 'must be a line number: digits only, from 1 to 2147483647 (Coupa sends it as a string), got "2a"' },
      { path: 'invoice-lines[0].tax-lines[0].tax-code', reason: "is required where tax is charged (23.7500): finmesh's tax lines are per tax code" },
      { path: 'gross-total', reason: 'is 1490.0000 but net 1245.0000 + tax 213.7500 = 1458.7500' },
      { path: 'total-with-taxes', reason: 'is 1487.5000 but net 1245.0000 + tax 213.7500 = 1458.7500' },
    ]);
  });

  it('refuses invoices that are not to be captured, charges, a second PO, another chart and a negative invoice', () => {
    expect(problemsOf(() => mapCapturedInvoice({ ...copy(), status: 'voided' }, ctx))).toEqual([
      { path: 'status', reason: expect.stringContaining('(a voided invoice is a cancellation, not a capture), got "voided"') },
    ]);
    expect(problemsOf(() => mapCapturedInvoice({ ...copy(), status: 'draft' }, ctx))[0]?.reason).toContain('a not submitted invoice is not one to match');
    const doc = copy();
    doc['shipping-amount'] = '15.00';
    doc['invoice-lines'][1]!['po-number'] = 'PO-4712';
    doc['invoice-lines'][1]!['order-header-num'] = 'PO-4712';
    doc['account-type'] = { name: 'FR01' };
    doc['invoice-lines'][0]!['quantity'] = '-1000';
    doc['invoice-lines'][0]!['total'] = '-125.00';
    for (const key of ['gross-total', 'total-with-taxes']) delete doc[key];
    expect(problemsOf(() => mapCapturedInvoice(doc, ctx))).toEqual([
      { path: 'shipping-amount', reason: 'is 15.0000: charges are not supported (InvoiceReceived has no charge lines)' },
      { path: 'invoice-lines[1].po-number', reason: 'is PO-4712 but invoice-lines[0].po-number is PO-4711; one invoice refers to one purchase order' },
      { path: 'invoice-lines[0].total', reason: 'is negative on an Invoice; credits must have document-type "Credit Note"' },
      { path: 'account-type.name', reason: 'no legal entity is configured for chart-of-accounts "FR01"' },
    ]);
  });
});

describe('Coupa invoice lifecycle and keys', () => {
  it('exposes status phase, void, version facts and the keys to resolve first', () => {
    expect(readCoupaInvoiceLifecycle(sample)).toEqual({
      invoiceKey: '9815', invoiceNumber: 'RE-2025-0815', status: 'pending_approval', phase: 'CAPTURABLE', voided: false,
      updatedAt: new Date('2025-03-20T08:41:17.000Z'), lockVersion: 3, exported: false,
    });
    expect(readCoupaInvoiceLifecycle({ ...copy(), status: 'voided', 'updated-at': '2025-04-01T10:00:00Z' })).toMatchObject({ phase: 'VOIDED', voided: true, updatedAt: new Date('2025-04-01T10:00:00Z') });
    expect(problemsOf(() => readCoupaInvoiceLifecycle({ ...copy(), status: 'paid' }))).toEqual([{ path: 'status', reason: expect.stringContaining('got "paid"') }]);
    expect(coupaInvoiceKeys(sample)).toEqual({ supplierNumber: '1013', poNumber: 'PO-4711', chartOfAccounts: 'DE01' });
    expect(coupaInvoiceKeys('nonsense')).toEqual({ supplierNumber: undefined, poNumber: undefined, chartOfAccounts: undefined });
  });
});
