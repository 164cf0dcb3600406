import { maskBankDetails } from './masking';

it('masks bank account fields at any depth and leaves the rest', () => {
  expect(
    maskBankDetails({
      PaymentId: 1,
      ExternalBankAccountNumber: 'DE89370400440532013000',
      payee: { iban: 'DE89370400440532013000', name: 'ACME' },
      relatedInvoices: [{ InvoiceNumber: 'INV-1' }],
    }),
  ).toEqual({ PaymentId: 1, ExternalBankAccountNumber: '****3000', payee: { iban: '****3000', name: 'ACME' }, relatedInvoices: [{ InvoiceNumber: 'INV-1' }] });
});
