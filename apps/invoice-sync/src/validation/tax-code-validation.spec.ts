import { RulesFileError } from '../matching/rules-file';
import { loadTaxCodeRules, parseTaxCodeRules } from './tax-code-rules';
import { validateTaxCodes, type InvoiceTaxData, type TaxLineToCheck } from './tax-code-validation';

const rules = loadTaxCodeRules(); // the shipped config/tax-codes.yaml

function taxLine(taxCode: string, rate: string, taxable: string, amount: string): TaxLineToCheck {
  return { taxCode, rate, taxableAmount: { amount: taxable }, amount: { amount } };
}

function invoice(taxLines: TaxLineToCheck[], lineCodes: (string | null)[] = [], currency = 'EUR'): InvoiceTaxData {
  return { currency, lines: lineCodes.map((taxCode, i) => ({ lineNumber: i + 1, taxCode })), taxLines };
}

describe('validateTaxCodes', () => {
  it.each([
    ['NL standard rate, exact', 'NL', invoice([taxLine('NL-VAT-21', '21.0000', '1234.5700', '259.2600')], ['NL-VAT-21']), []],
    // 1,234.57 x 21 % = 259.2597: printed 259.26 is rounding, 259.30 is not
    ['NL tax amount off by 0.0403', 'NL', invoice([taxLine('NL-VAT-21', '21.0000', '1234.5700', '259.3000')]), [['TAX_CODE_INVALID', null, '259.2597', '259.3000', '0.0403', '0.0200']]],
    ['NL two rates on one invoice', 'NL', invoice([taxLine('NL-VAT-21', '21.0000', '1000.0000', '210.0000'), taxLine('NL-VAT-9', '9.0000', '250.0000', '22.5000')], ['NL-VAT-21', 'NL-VAT-9']), []],
    ['NL reverse charge with no tax', 'NL', invoice([taxLine('NL-VAT-RC', '0.0000', '8000.0000', '0.0000')], ['NL-VAT-RC']), []],
    ['NL reverse charge, but the supplier charged tax', 'NL', invoice([taxLine('NL-VAT-RC', '21.0000', '8000.0000', '1680.0000')]), [['TAX_CODE_INVALID', null, '0.0000', '21.0000', '21.0000', null]]],
    ['German code on a Dutch entity (line and tax line)', 'NL', invoice([taxLine('DE-VAT-19', '19.0000', '100.0000', '19.0000')], ['NL-VAT-21', 'DE-VAT-19']), [['TAX_CODE_INVALID', 2, null, null, null, null], ['TAX_CODE_INVALID', null, null, null, null, null]]],
    ['DE reduced rate with a wrong rate', 'DE', invoice([taxLine('DE-VAT-7', '19.0000', '100.0000', '19.0000')]), [['TAX_CODE_INVALID', null, '7.0000', '19.0000', '12.0000', null]]],
    ['GB zero rate', 'GB', invoice([taxLine('GB-VAT-0', '0.0000', '500.0000', '0.0000')], ['GB-VAT-0'], 'GBP'), []],
    ['US sales tax within its range', 'US', invoice([taxLine('US-SALES', '8.8750', '1999.9900', '177.4991')], ['US-SALES'], 'USD'), []],
    ['US sales tax above its range', 'US', invoice([taxLine('US-SALES', '12.0000', '100.0000', '12.0000')], [], 'USD'), [['TAX_CODE_INVALID', null, null, '12.0000', null, null]]],
    ['JPY rounding tolerance of 2 yen', 'JP', invoice([taxLine('JP-CT-10', '10.0000', '123457.0000', '12347.0000')], ['JP-CT-10'], 'JPY'), []],
    ['line without a tax code yet', 'NL', invoice([], [null]), []],
    ['country without tax codes', 'BR', invoice([taxLine('BR-ICMS', '18.0000', '100.0000', '18.0000')]), [['TAX_CODE_INVALID', null, null, null, null, null]]],
  ] as const)('%s', (_name, country, inv, expected) => {
    const result = validateTaxCodes(inv, country, rules);
    expect(result.map((e) => [e.code, e.lineNumber, e.expected, e.actual, e.variance, e.tolerance])).toEqual(expected);
    for (const e of result) expect(e.message).not.toBe('');
  });

  it('explains an invalid code with the valid ones', () => {
    const [e] = validateTaxCodes(invoice([], ['DE-VAT-19']), 'NL', rules);
    expect(e?.message).toBe('Line 1: tax code DE-VAT-19 is not valid in NL (valid: NL-VAT-21, NL-VAT-9, NL-VAT-0, NL-VAT-RC, NL-VAT-EX).');
  });
});

describe('tax code rules file', () => {
  function problemsOf(yamlText: string): readonly string[] {
    try {
      parseTaxCodeRules(yamlText, 'test.yaml');
    } catch (e) {
      if (e instanceof RulesFileError) return e.problems;
      throw e;
    }
    throw new Error('expected the rules file to be refused');
  }

  it('keeps fractional rates exactly', () => {
    expect(rules.countries['FR']?.['FR-TVA-5.5']?.rate).toBe('5.5');
  });

  it('reports every bad setting with its path', () => {
    const problems = problemsOf(`
rounding: { defaultTolerance: -0.01, currencies: { yen: 1 } }
countries:
  NL:
    NL-VAT-21: { rate: 121, description: Standard }
    NL-VAT-RC: { rate: 21, reverseCharge: true, description: RC }
  US:
    US-SALES: { minRate: 10, maxRate: 5, description: Sales }
    US-X: { description: Missing rate }
  Deutschland:
    DE-VAT-19: { rate: 19, description: Standard, rat: 19 }
`);
    expect([...problemsOf('rounding: {defaultTolerance: 0.01}\ncountries: {}\nextra: 1')]).toEqual(['extra: unknown setting']);
    expect([...problems].sort()).toEqual(
      [
        'rounding.defaultTolerance: must be at least 0',
        'countries.NL.NL-VAT-21.rate: must be between 0 and 100',
        'countries.NL.NL-VAT-RC.rate: must be 0 for a reverse-charge code (the supplier charges no tax)',
        'countries.US.US-SALES.maxRate: must not be below minRate 10',
        'countries.US.US-X.rate: is required (a fixed rate, or both minRate and maxRate)',
        'countries.Deutschland.DE-VAT-19.rat: unknown setting',
        'countries.Deutschland: must be an ISO 3166-1 alpha-2 country code such as NL',
        'rounding.currencies.yen: must be an ISO 4217 currency code such as JPY',
      ].sort(),
    );
  });
});
