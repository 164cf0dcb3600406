import { detectDuplicateInvoice, normaliseInvoiceNumber, type SeenInvoice } from './duplicate-invoice-detection';

describe('normaliseInvoiceNumber', () => {
  it.each([
    ['INV-00123', '123'],
    ['inv 123', '123'],
    ['#123', '123'],
    ['Invoice No. 0123', '123'],
    ['  inv_00123 ', '123'],
    ['Rechnung Nr. 2024-0815', '2024-815'],
    ['AB/2024/007', 'AB-2024-7'],
    ['ab-2024-7', 'AB-2024-7'],
    ['INV', 'INV'], // a prefix word alone is the number
    ['0000', '0'],
    ['2024001', '2024001'], // digit groups are not merged: differs from '2024-001'
    ['2024-001', '2024-1'],
  ])('%s -> %s', (raw, normalised) => {
    expect(normaliseInvoiceNumber(raw)).toBe(normalised);
  });
});

describe('detectDuplicateInvoice', () => {
  const earlier: SeenInvoice = {
    invoiceId: 'inv-1',
    supplierInvoiceNumber: 'INV-00123',
    documentType: 'INVOICE',
    grossAmount: '1512.5000',
    currency: 'EUR',
    invoiceDate: '2025-03-14',
  };
  const fresh = (over: Partial<SeenInvoice>): SeenInvoice => ({
    ...earlier,
    invoiceId: 'inv-2',
    supplierInvoiceNumber: 'A-999',
    grossAmount: '99.0000',
    invoiceDate: '2025-03-20',
    ...over,
  });

  it.each([
    ['same number written differently ("inv 123")', fresh({ supplierInvoiceNumber: 'inv 123' }), ['NUMBER']],
    ['same number, different amount (a correction is still not a second payable)', fresh({ supplierInvoiceNumber: '123', grossAmount: '1600.0000' }), ['NUMBER']],
    ['different number, same gross amount and date (mistyped re-send)', fresh({ supplierInvoiceNumber: 'INV-00132', grossAmount: '1512.50', invoiceDate: '2025-03-14' }), ['AMOUNT_AND_DATE']],
    ['number, amount and date all agree', fresh({ supplierInvoiceNumber: '#123', grossAmount: '1512.5', invoiceDate: '2025-03-14' }), ['NUMBER', 'AMOUNT_AND_DATE']],
    ['same amount on another date', fresh({ grossAmount: '1512.5000', invoiceDate: '2025-03-15' }), []],
    ['same amount and date in another currency', fresh({ grossAmount: '1512.5000', invoiceDate: '2025-03-14', currency: 'USD' }), []],
    ['credit note quoting the invoice number', fresh({ documentType: 'CREDIT_NOTE', supplierInvoiceNumber: 'INV-00123', grossAmount: '-1512.5000', invoiceDate: '2025-03-14' }), []],
    ['credit note with the same amount and date', fresh({ documentType: 'CREDIT_NOTE', grossAmount: '1512.5000', invoiceDate: '2025-03-14' }), []],
    ['the invoice itself, validated again', { ...earlier }, []],
  ] as const)('%s -> %j', (_name, invoice, rules) => {
    const result = detectDuplicateInvoice(invoice, [earlier]);
    expect(result.isDuplicate).toBe(rules.length > 0);
    expect(result.matches.map((m) => m.rules)).toEqual(rules.length > 0 ? [rules] : []);
    if (rules.length > 0) expect(result.matches[0]?.earlier.invoiceId).toBe('inv-1');
  });

  it('finds a credit note that duplicates an earlier credit note', () => {
    const cn1 = { ...earlier, documentType: 'CREDIT_NOTE' as const, supplierInvoiceNumber: 'CN-77', grossAmount: '-100.0000' };
    const cn2 = { ...cn1, invoiceId: 'inv-3', supplierInvoiceNumber: 'cn 077', grossAmount: '-90.0000' };
    // The invoice 'inv-1' is skipped (another document type); the earlier credit note is found.
    const result = detectDuplicateInvoice(cn2, [earlier, { ...cn1, invoiceId: 'cn-1' }]);
    expect(result.matches.map((m) => [m.earlier.invoiceId, m.rules])).toEqual([['cn-1', ['NUMBER']]]);
  });

  it('lists every earlier invoice it duplicates', () => {
    const other = { ...earlier, invoiceId: 'inv-0', supplierInvoiceNumber: 'X-1' };
    const result = detectDuplicateInvoice(fresh({ supplierInvoiceNumber: '123', grossAmount: '1512.5000', invoiceDate: '2025-03-14' }), [other, earlier]);
    expect(result.matches.map((m) => [m.earlier.invoiceId, m.rules])).toEqual([
      ['inv-0', ['AMOUNT_AND_DATE']],
      ['inv-1', ['NUMBER', 'AMOUNT_AND_DATE']],
    ]);
  });
});
