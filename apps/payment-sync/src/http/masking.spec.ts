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

it('masks the Fusion names for bank accounts, bank codes and tax ids in any spelling, and leaves ids and names alone', () => {
  expect(
    maskBankDetails({
      RemitToAccountNumber: 'DE89 3704 0044 0532 0130 00',
      PayeeBankAccountNumber: '000123456789',
      SWIFTCode: 'COBADEFFXXX',
      bank_account_num: '987654321',
      TaxRegistrationNumber: 'DE129273398',
      bankAccounts: [{ BankAccountId: 300000047414540, IBAN: 'NL91ABNA0417164300', AccountName: 'ACME' }],
      Payee: 'ACME',
    }),
  ).toEqual({
    RemitToAccountNumber: '****3000',
    PayeeBankAccountNumber: '****6789',
    SWIFTCode: '****FXXX',
    bank_account_num: '****4321',
    TaxRegistrationNumber: '****3398',
    bankAccounts: [{ BankAccountId: 300000047414540, IBAN: '****4300', AccountName: 'ACME' }],
    Payee: 'ACME',
  });
});
