import { MappingError } from '../mapping/mapping-error';
import { maskAccountNumber, paymentMethodOf, readFusionPayment } from './fusion-payment';

const issued = {
  PaymentId: 300200000000001,
  PaymentNumber: 100001,
  PaymentAmount: '1000.30',
  PaymentCurrency: 'EUR',
  PaymentDate: '2025-04-01',
  PaymentMethodCode: 'EFT',
  PaymentStatus: 'Issued',
  SupplierNumber: 'SUP-1001',
  BankReference: null,
  ClearedDate: null,
  relatedInvoices: [
    { InvoiceNumber: 'INV-900', InvoiceId: 300100000000001, AmountPaid: '1000.00' },
    { InvoiceNumber: 'INV-901', AmountPaid: 0.3 },
  ],
};

function problemsOf(payload: unknown): { path: string; reason: string }[] {
  try {
    readFusionPayment(payload);
  } catch (err) {
    if (err instanceof MappingError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a MappingError');
}

describe('readFusionPayment', () => {
  it('reads the simulator payment exactly (numbers and strings), without resolving invoices', () => {
    expect(readFusionPayment(issued)).toEqual({
      erpPaymentId: '300200000000001',
      paymentNumber: '100001',
      paymentRunId: 'FUSION-PAYMENT-100001',
      amount: '1000.3000',
      currency: 'EUR',
      paymentDate: '2025-04-01',
      method: 'SEPA_CREDIT_TRANSFER',
      status: 'Issued',
      supplierNumber: 'SUP-1001',
      payeeBankAccountRef: 'NOT-PROVIDED',
      bankReference: null,
      clearedDate: null,
      relatedInvoices: [
        { index: 0, invoiceNumber: 'INV-900', erpInvoiceId: '300100000000001', amountPaid: '1000.0000' },
        { index: 1, invoiceNumber: 'INV-901', erpInvoiceId: null, amountPaid: '0.3000' },
      ],
    });
  });

  it('keeps only the masked payee account', () => {
    const p = readFusionPayment({ ...issued, ExternalBankAccountNumber: 'DE89 3704 0044 0532 0130 00' });
    expect(p.payeeBankAccountRef).toBe('****3000');
    expect(JSON.stringify(p)).not.toContain('0532');
    expect(problemsOf({ ...issued, RemitToAccountNumber: 12345678 })).toEqual([{ path: 'RemitToAccountNumber', reason: 'must be a string (value not shown: bank details)' }]);
  });

  it('names every bad field', () => {
    expect(
      problemsOf({
        ...issued,
        PaymentId: undefined,
        PaymentCurrency: 'euro',
        PaymentStatus: 'Voided',
        relatedInvoices: [{ InvoiceNumber: 'INV-1', AmountPaid: '12,5' }, { AmountPaid: '-1' }],
      }),
    ).toEqual([
      { path: 'PaymentId', reason: 'is required' },
      { path: 'PaymentCurrency', reason: 'must be an ISO 4217 currency code (3 upper-case letters), got "euro"' },
      { path: 'PaymentStatus', reason: 'must be one of Issued, Cleared, got "Voided"' },
      { path: 'relatedInvoices[0].AmountPaid', reason: 'must be a decimal number, got "12,5"' },
      { path: 'relatedInvoices[1].InvoiceNumber', reason: 'is required' },
      { path: 'relatedInvoices[1].AmountPaid', reason: 'must be positive, got "-1.0000"' },
    ]);
  });

  it('requires the bank reference and cleared date of a Cleared payment, and a consistent total', () => {
    expect(problemsOf({ ...issued, PaymentStatus: 'Cleared', PaymentAmount: '1000.31' })).toEqual([
      { path: 'BankReference', reason: 'is required' },
      { path: 'ClearedDate', reason: 'is required' },
      { path: 'PaymentAmount', reason: 'is 1000.3100 but relatedInvoices[].AmountPaid sum to 1000.3000' },
    ]);
    expect(problemsOf({ ...issued, relatedInvoices: [] })).toEqual([{ path: 'relatedInvoices', reason: 'must contain at least 1 item(s), got 0' }]);
    expect(problemsOf('not json object')).toEqual([{ path: '(root)', reason: 'must be a JSON object, got "not json object"' }]);
  });

  it('maps payment methods', () => {
    expect(paymentMethodOf('EFT', 'USD')).toBe('ACH');
    expect(paymentMethodOf('EFT', 'GBP')).toBe('WIRE');
    expect(paymentMethodOf('CHECK', 'USD')).toBe('CHECK');
    expect(paymentMethodOf('BILLS_PAYABLE', 'EUR')).toBe('OTHER');
    expect(maskAccountNumber('12')).toBe('****12');
  });
});

describe('readFusionPayment with the real Fusion attribute names', () => {
  it('reads PaymentProcessRequest, PaymentReference, ClearingDate and RemitToAccountNumber', () => {
    const p = readFusionPayment({
      ...issued,
      PaymentStatus: 'Cleared',
      BankReference: undefined,
      ClearedDate: undefined,
      PaymentProcessRequest: 'PPR-2025-04-01',
      PaymentReference: 'E2E-4711',
      ClearingDate: '2025-04-03',
      RemitToAccountNumber: 'GB33BUKB20201555555555',
    });
    expect(p).toMatchObject({ paymentRunId: 'PPR-2025-04-01', bankReference: 'E2E-4711', clearedDate: '2025-04-03', payeeBankAccountRef: '****5555', status: 'Cleared' });
  });
});
