import { MappingError } from '../mapping/mapping-error';
import { FUSION_PAYMENT_STATUSES, fusionPaymentStateOf, maskAccountNumber, paymentMethodOf, readFusionPayment } from './fusion-payment';
// Shaped like Oracle's "Get Payments Details for a Paid Invoice" example (a Negotiable payment of a
// payment process request), with finmesh's supplier, invoices and account.
import negotiable from './fixtures/fusion-payment.json';
// Oracle's "Void a Payment" example response (PaymentStatus still 'Negotiable', VoidDate set). The
// example is cut after BusinessUnit: SupplierNumber, PaymentMethodCode, LastUpdateDate and the
// relatedInvoices row are finmesh's additions.
import voided from './fixtures/fusion-payment-voided.json';

function problemsOf(payload: unknown): { path: string; reason: string }[] {
  try {
    readFusionPayment(payload);
  } catch (err) {
    if (err instanceof MappingError) return [...err.problems];
    throw err;
  }
  throw new Error('expected a MappingError');
}

const cleared = { ...negotiable, PaymentStatus: 'Cleared', ClearingDate: '2025-04-02', ClearingAmount: 1657.5, LastUpdateDate: '2025-04-02T08:00:01.000+00:00' };

describe('readFusionPayment on Oracle-shaped payablesPayments', () => {
  it('reads a Negotiable payment as released (NEGOTIABLE), keyed by CheckId', () => {
    expect(readFusionPayment(negotiable)).toEqual({
      erpPaymentId: '68536',
      fusionPaymentId: '1207',
      paymentNumber: '1005',
      paymentRunId: 'PPR-2025-03-28-01',
      amount: '1657.5000',
      currency: 'EUR',
      paymentDate: '2025-03-28',
      method: 'SEPA_CREDIT_TRANSFER',
      erpStatus: 'Negotiable',
      status: 'NEGOTIABLE',
      supplierNumber: '1013',
      payeeBankAccountRef: '****3000',
      paymentReference: '218',
      clearingDate: null,
      clearingAmount: null,
      voidDate: null,
      voidAccountingDate: null,
      stopDate: null,
      lastUpdateDate: new Date('2025-03-28T16:02:44.120Z'),
      relatedInvoices: [
        { index: 0, invoiceNumber: 'RE-2025-0815', erpInvoiceId: '300100187053845', amountPaid: '1457.7500' },
        { index: 1, invoiceNumber: 'RE-2025-0902', erpInvoiceId: '300100187060001', amountPaid: '199.7500' },
      ],
    });
  });

  it('reads a Cleared payment with its ClearingDate, ClearingAmount and PaymentReference', () => {
    expect(readFusionPayment(cleared)).toMatchObject({ status: 'CLEARED', erpStatus: 'Cleared', clearingDate: '2025-04-02', clearingAmount: '1657.5000', paymentReference: '218' });
    expect(readFusionPayment({ ...cleared, PaymentStatus: 'Reconciled Unaccounted' }).status).toBe('CLEARED');
    expect(readFusionPayment({ ...cleared, PaymentStatus: 'cleared but unaccounted' }).status).toBe('CLEARED');
    expect(problemsOf({ ...cleared, ClearingDate: null, PaymentReference: null })).toEqual([
      { path: 'PaymentReference', reason: 'is required' },
      { path: 'ClearingDate', reason: 'is required' },
    ]);
  });

  it('takes a payment with a VoidDate as voided even while PaymentStatus still says Negotiable (Oracle example)', () => {
    expect(readFusionPayment(voided)).toMatchObject({
      erpPaymentId: '300100170752773',
      erpStatus: 'Negotiable',
      status: 'VOIDED',
      voidDate: '2018-11-01',
      voidAccountingDate: '2018-11-01',
      amount: '1202.7500',
      currency: 'USD',
      method: 'CHECK',
      paymentRunId: 'Quick payment: ID=300100170752773',
    });
    expect(readFusionPayment({ ...voided, PaymentStatus: 'Voided' }).status).toBe('VOIDED');
    expect(problemsOf({ ...voided, PaymentStatus: 'Voided', VoidDate: null })).toEqual([{ path: 'VoidDate', reason: 'is required for a Voided payment' }]);
    // Reversal rows of a voided payment are reported as they come, not refused.
    const reversed = { ...voided, relatedInvoices: [...voided.relatedInvoices, { ...voided.relatedInvoices[0], InvoicePaymentId: 1, AmountPaid: -1202.75 }] };
    expect(readFusionPayment(reversed).relatedInvoices.map((r) => r.amountPaid)).toEqual(['1202.7500', '-1202.7500']);
  });

  it('maps every known status and refuses payment-document statuses and unknown ones', () => {
    expect(FUSION_PAYMENT_STATUSES.map((s) => [s, fusionPaymentStateOf(s)])).toEqual([
      ['Negotiable', 'NEGOTIABLE'],
      ['Issued', 'NEGOTIABLE'],
      ['Cleared', 'CLEARED'],
      ['Cleared but Unaccounted', 'CLEARED'],
      ['Reconciled', 'CLEARED'],
      ['Reconciled Unaccounted', 'CLEARED'],
      ['Voided', 'VOIDED'],
      ['Stop Initiated', 'STOP_INITIATED'],
      ['Set Up', null],
      ['Spoiled', null],
      ['Overflow', null],
    ]);
    expect(readFusionPayment({ ...negotiable, PaymentStatus: 'Stop Initiated', StopDate: '2025-03-30' })).toMatchObject({ status: 'STOP_INITIATED', stopDate: '2025-03-30' });
    expect(problemsOf({ ...negotiable, PaymentStatus: 'Spoiled' })).toEqual([{ path: 'PaymentStatus', reason: 'is "Spoiled", a payment-document status (not a payment to the supplier)' }]);
    expect(problemsOf({ ...negotiable, PaymentStatus: 'Paid' })[0]?.reason).toMatch(/^is not a Fusion payment status: "Paid"/);
  });

  it('refuses the invented ClearedDate/BankReference and names the documented attributes', () => {
    expect(problemsOf({ ...cleared, ClearedDate: '2025-04-02', BankReference: 'B-1' })).toEqual([
      { path: 'ClearedDate', reason: 'is not a Fusion payablesPayments attribute; send ClearingDate' },
      { path: 'BankReference', reason: 'is not a Fusion payablesPayments attribute; send PaymentReference' },
    ]);
  });

  it('keeps only the masked payee account', () => {
    const p = readFusionPayment({ ...negotiable, RemitToAccountNumber: 'DE89 3704 0044 0532 0130 00' });
    expect(p.payeeBankAccountRef).toBe('****3000');
    expect(JSON.stringify(p)).not.toContain('0532');
    expect(problemsOf({ ...negotiable, RemitToAccountNumber: 12345678 })).toEqual([{ path: 'RemitToAccountNumber', reason: 'must be a string (value not shown: bank details)' }]);
    expect(readFusionPayment({ ...negotiable, RemitToAccountNumber: null }).payeeBankAccountRef).toBe('NOT-PROVIDED');
  });

  it('names every bad field', () => {
    expect(
      problemsOf({
        ...negotiable,
        CheckId: undefined,
        PaymentCurrency: 'euro',
        relatedInvoices: [{ InvoiceNumber: 'INV-1', AmountPaid: '12,5' }, { AmountPaid: '-1' }],
      }),
    ).toEqual([
      { path: 'CheckId', reason: 'is required' },
      { path: 'PaymentCurrency', reason: 'must be an ISO 4217 currency code (3 upper-case letters), got "euro"' },
      { path: 'relatedInvoices[0].AmountPaid', reason: 'must be a decimal number, got "12,5"' },
      { path: 'relatedInvoices[1].InvoiceNumber', reason: 'is required' },
      { path: 'relatedInvoices[1].AmountPaid', reason: 'must be positive, got "-1.0000"' },
    ]);
    expect(problemsOf({ ...negotiable, PaymentAmount: '1657.51' })).toEqual([{ path: 'PaymentAmount', reason: 'is 1657.5100 but relatedInvoices[].AmountPaid sum to 1657.5000' }]);
    expect(problemsOf({ ...negotiable, relatedInvoices: [] })).toEqual([{ path: 'relatedInvoices', reason: 'must contain at least 1 item(s), got 0' }]);
    expect(problemsOf({ ...negotiable, LastUpdateDate: '2025-03-28 16:02' })).toEqual([{ path: 'LastUpdateDate', reason: 'must be an ISO 8601 timestamp with offset, got "2025-03-28 16:02"' }]);
    expect(problemsOf('not json object')).toEqual([{ path: '(root)', reason: 'must be a JSON object, got "not json object"' }]);
  });

  it('falls back to a payment run id from the number, and reads InvoiceId as optional', () => {
    const p = readFusionPayment({ ...negotiable, PaymentProcessRequest: null, relatedInvoices: [{ InvoiceNumber: 'RE-1', AmountPaid: '1657.50' }] });
    expect(p.paymentRunId).toBe('FUSION-PAYMENT-1005');
    expect(p.relatedInvoices).toEqual([{ index: 0, invoiceNumber: 'RE-1', erpInvoiceId: null, amountPaid: '1657.5000' }]);
  });

  it('maps payment methods', () => {
    expect(paymentMethodOf('EFT', 'USD')).toBe('ACH');
    expect(paymentMethodOf('EFT', 'GBP')).toBe('WIRE');
    expect(paymentMethodOf('CHECK', 'USD')).toBe('CHECK');
    expect(paymentMethodOf('BILLS_PAYABLE', 'EUR')).toBe('OTHER');
    expect(maskAccountNumber('12')).toBe('****12');
  });
});
