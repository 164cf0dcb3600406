import { ibanProblem, isBic, isIso3166Alpha2, isIso4217 } from './financial-formats';

describe('financial code lists and check digits', () => {
  it('knows ISO 4217 currencies, not made-up ones', () => {
    expect(['EUR', 'USD', 'JPY', 'CHF'].every(isIso4217)).toBe(true);
    expect(['ZZZ', 'XXX', 'EURO', 'eur'].some(isIso4217)).toBe(false);
  });

  it('knows ISO 3166-1 alpha-2 countries, not reserved or unassigned codes', () => {
    expect(['DE', 'NL', 'US', 'GB', 'XK'].every(isIso3166Alpha2)).toBe(true);
    expect(['ZZ', 'QQ', 'AA', 'UK', 'EU', 'de', 'DEU'].some(isIso3166Alpha2)).toBe(false);
  });

  it('checks an IBAN by its mod-97 check digits, without quoting it', () => {
    expect(ibanProblem('DE89370400440532013000')).toBeUndefined();
    expect(ibanProblem('GB82WEST12345698765432')).toBeUndefined();
    expect(ibanProblem('DE89370400440532013001')).toBe('is not an IBAN (its check digits do not match)');
    expect(ibanProblem('-1')).toMatch(/^is not an IBAN/);
    expect(ibanProblem('QQ89370400440532013000')).toBe('is not an IBAN (unknown country code)');
    expect(ibanProblem('DE89370400440532013001')).not.toContain('370400');
  });

  it('checks a BIC shape with an ISO country', () => {
    expect(['DEUTDEFF', 'DEUTDEFF500', 'NWBKGB2L'].every(isBic)).toBe(true);
    expect(['DEUTQQFF', 'DEUT', '1234DEFF', 'DEUTDEFF5'].some(isBic)).toBe(false);
  });
});
