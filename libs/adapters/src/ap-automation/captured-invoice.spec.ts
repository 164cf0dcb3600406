import { nameBasedId, nameBasedIds, type MappingContext } from '../mapping/mapping-context';
import { LEGAL_ENTITIES, contractProblems } from '../test-support/contract';
import { problemsOf } from '../test-support/mapping-problems';
import { mapCapturedInvoice } from './captured-invoice';
import sample from './fixtures/captured-invoice.json';

const ctx: MappingContext = {
  ids: nameBasedIds,
  legalEntities: (hint) => (hint.kind === 'company-code' && hint.value === 'DE01' ? LEGAL_ENTITIES.DE01 : undefined),
};

type Doc = { header: Record<string, unknown> & { totals: Record<string, unknown>; taxLines: Record<string, unknown>[] }; lines: Record<string, unknown>[] } & Record<string, unknown>;
const copy = (): Doc => JSON.parse(JSON.stringify(sample));

describe('mapCapturedInvoice', () => {
  it('maps a captured PO invoice to InvoiceReceived', () => {
    const { payload, legalEntity, occurredAt } = mapCapturedInvoice(sample, ctx);
    expect(legalEntity).toEqual(LEGAL_ENTITIES.DE01);
    expect(occurredAt.toISOString()).toBe('2025-03-20T08:41:17.513Z');
    expect(payload).toEqual({
      invoiceId: nameBasedId('invoice', 'CAP-2025-000981'),
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
      documentUri: 'https://ap.example.com/archive/CAP-2025-000981.pdf',
    });
    expect(contractProblems('InvoiceReceived', payload)).toEqual([]);
  });

  it('stores a credit note printed with positive figures as negative amounts', () => {
    const doc = copy();
    doc.header['documentType'] = 'CREDIT_NOTE';
    const { payload } = mapCapturedInvoice(doc, ctx);
    expect(payload.totals.gross.amount).toBe('-1487.5000');
    expect(payload.lines[0]?.quantity).toBe('-1000.0000');
    expect(payload.lines[0]?.unitPrice.amount).toBe('0.125000');
    expect(payload.taxLines[0]?.amount.amount).toBe('-237.5000');
    expect(contractProblems('InvoiceReceived', payload)).toEqual([]);
  });

  it('reports every inconsistent figure with both values', () => {
    const doc = copy();
    doc.header.totals['gross'] = '1490.00';
    doc.header['invoiceDate'] = '18.03.2025';
    doc.header['currency'] = 'EURO';
    doc.lines[0]!['unitPrice'] = '0,125';
    doc.lines[1]!['netAmount'] = '1120.00';
    doc.header.taxLines[0]!['taxAmount'] = '237.05';
    expect(problemsOf(() => mapCapturedInvoice(doc, ctx))).toEqual([
      { path: 'header.invoiceDate', reason: 'must be an ISO date (YYYY-MM-DD), got "18.03.2025"' },
      { path: 'header.currency', reason: 'must be an ISO 4217 currency code (3 upper-case letters), got "EURO"' },
      { path: 'lines[0].unitPrice', reason: 'must be a decimal number, got "0,125"' },
      { path: 'lines[1].netAmount', reason: 'quantity 12.5000 x unit price 90.000000 = 1125.0000, but the line amount is 1120.0000 (tolerance 0.0100)' },
      { path: 'header.totals.net', reason: 'is 1250.0000 but the sum of lines[].netAmount is 1245.0000' },
      { path: 'header.totals.tax', reason: 'is 237.5000 but the sum of header.taxLines[].taxAmount is 237.0500' },
      { path: 'header.totals.gross', reason: 'is 1490.0000 but net 1250.0000 + tax 237.5000 = 1487.5000' },
    ]);
  });

  it('reports net total vs line sum, an unknown company code and a negative invoice', () => {
    const doc = copy();
    doc.header.totals['net'] = '1350.00';
    doc.header.totals['gross'] = '1587.50';
    (doc.header['buyer'] as Record<string, unknown>)['companyCode'] = 'FR01';
    doc.lines[0]!['quantity'] = '-1000';
    doc.lines[0]!['netAmount'] = '-125.00';
    expect(problemsOf(() => mapCapturedInvoice(doc, ctx))).toEqual([
      { path: 'header.buyer.companyCode', reason: 'no legal entity is configured for company-code "FR01"' },
      { path: 'header.totals.net', reason: 'is 1350.0000 but the sum of lines[].netAmount is 1000.0000' },
      { path: 'lines[0].netAmount', reason: 'is negative on an INVOICE; credit notes must have documentType CREDIT_NOTE' },
    ]);
  });
});
