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

  it('masks account numbers, bank codes and tax ids, keeping the bank code of a BIC or routing number', () => {
    const masked = maskBankAccount({
      accountId: 'B1', holderName: 'Acme Inc', iban: null, accountNumber: '000123456789', bic: 'CHASUS33',
      routingNumber: '021000021', bankCountry: 'US', currency: 'USD', maskedReference: '****6789',
    });
    // BIC and routing number were shown in full before the one sensitive-data policy: no full BIC
    // reaches a reader other than the ERP now, only the bank code (first four).
    expect(masked).toEqual({
      accountId: 'B1', holderName: 'Acme Inc', iban: null, accountNumber: '********6789', bic: 'CHAS****',
      routingNumber: '0210*****', bankCountry: 'US', currency: 'USD', maskedReference: '****6789',
    });
    expect(maskBankAccount({ ...masked, iban: 'NL91ABNA0417164300', accountNumber: null, bic: 'COBADEFFXXX' })).toMatchObject({ iban: 'NL91**********4300', bic: 'COBA*******' });
    expect(maskTaxId({ scheme: 'VAT', value: 'DE123456789', country: 'DE' })).toEqual({ scheme: 'VAT', value: 'DE*******89', country: 'DE' });
  });
});
