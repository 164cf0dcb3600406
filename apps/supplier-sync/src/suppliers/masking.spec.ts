import { maskBankAccount, maskIban, maskMiddle, maskTaxId } from './masking';

describe('supplier data masking', () => {
  it('masks an IBAN keeping country, check digits and the last four', () => {
    expect(maskIban('NL91ABNA0417164300')).toBe('NL91**********4300');
    expect(maskIban('DE89370400440532013000')).toBe('DE89**************3000');
  });

  it('never reveals more than half of a short value', () => {
    expect(maskMiddle('1234', 2, 2)).toBe('**34');
    expect(maskMiddle('12', 2, 2)).toBe('*2');
    expect(maskMiddle('', 2, 2)).toBe('');
  });

  it('masks account numbers and tax ids but keeps bank identifiers', () => {
    const masked = maskBankAccount({
      accountId: 'B1', holderName: 'Acme Inc', iban: null, accountNumber: '000123456789', bic: 'CHASUS33',
      routingNumber: '021000021', bankCountry: 'US', currency: 'USD', maskedReference: '****6789',
    });
    expect(masked).toMatchObject({ accountNumber: '********6789', bic: 'CHASUS33', routingNumber: '021000021', holderName: 'Acme Inc' });
    expect(maskTaxId({ scheme: 'VAT', value: 'DE123456789', country: 'DE' })).toEqual({ scheme: 'VAT', value: 'DE*******89', country: 'DE' });
  });
});
