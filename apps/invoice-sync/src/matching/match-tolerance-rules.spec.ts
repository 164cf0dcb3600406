import {
  loadMatchToleranceRules,
  parseMatchToleranceRules,
  regionOfCountry,
  tolerancesFor,
} from './match-tolerance-rules';
import { RulesFileError } from './rules-file';

const BASE = `
defaults:
  quantity: { percent: 0, acceptUnderDelivery: true }
  unitPrice: { percent: 2, absolute: 5.00, combine: STRICTER, acceptLowerPrice: true }
  total: { percent: 1, absolute: 50.00, combine: STRICTER }
regions:
  EMEA:
    countries: [NL, DE]
    unitPrice: { percent: 1.5 }
    quantity: { percent: 2 }
legalEntities:
  NL01:
    unitPrice: { percent: 1, absolute: null }
`;

function problemsOf(yamlText: string): readonly string[] {
  try {
    parseMatchToleranceRules(yamlText, 'test.yaml');
  } catch (e) {
    if (e instanceof RulesFileError) return e.problems;
    throw e;
  }
  throw new Error('expected the rules file to be refused');
}

describe('match tolerance rules file', () => {
  it('loads the shipped config/match-tolerances.yaml', () => {
    const rules = loadMatchToleranceRules();
    expect(rules.defaults.unitPrice.combine).toBe('STRICTER');
    expect(regionOfCountry(rules, 'nl')).toBe('EMEA');
    expect(Object.keys(rules.legalEntities)).toContain('NL01');
  });

  it('keeps decimals exactly as written (no float round trip)', () => {
    const rules = parseMatchToleranceRules(BASE);
    expect(rules.defaults.unitPrice.absolute).toBe('5.00');
    expect(rules.regions['EMEA']?.overrides.unitPrice?.percent).toBe('1.5');
  });

  describe('most specific level wins, per setting', () => {
    const rules = parseMatchToleranceRules(BASE);
    it.each([
      // entity, country, unit price percent, absolute, quantity percent, levels
      ['NL01', 'NL', '1', null, '2', ['defaults', 'region EMEA', 'legal entity NL01']],
      ['DE01', 'DE', '1.5', '5.00', '2', ['defaults', 'region EMEA']],
      ['US01', 'US', '2', '5.00', '0', ['defaults']],
      // the entity's own overrides apply even in a country no region lists
      ['NL01', 'BR', '1', null, '0', ['defaults', 'legal entity NL01']],
    ])('%s in %s: unit price %s %% / abs %s, quantity %s %%', (entity, country, pct, abs, qty, levels) => {
      const t = tolerancesFor(rules, entity, country);
      expect(t.unitPrice.percent).toBe(pct);
      expect(t.unitPrice.absolute).toBe(abs);
      expect(t.unitPrice.combine).toBe('STRICTER'); // inherited untouched
      expect(t.quantity.percent).toBe(qty);
      expect(t.appliedLevels).toEqual(levels);
    });
  });

  describe('refuses bad settings, one problem per setting with its path', () => {
    it.each([
      [
        'percent out of range',
        BASE.replace('unitPrice: { percent: 1, absolute: null }', 'unitPrice: { percent: 150 }'),
        ['legalEntities.NL01.unitPrice.percent: must be between 0 and 100'],
      ],
      [
        'negative absolute and a non-number',
        BASE.replace('absolute: 5.00', 'absolute: -1').replace('percent: 1, absolute: 50.00', 'percent: lots, absolute: 50.00'),
        ['defaults.unitPrice.absolute: must be at least 0', 'defaults.total.percent: must be a decimal number such as 2.5'],
      ],
      [
        'unknown key (typo) and bad enum',
        BASE.replace('unitPrice: { percent: 1.5 }', 'unitPrice: { percnt: 1.5, combine: BOTH }'),
        ['regions.EMEA.unitPrice.combine: must be STRICTER or LOOSER', 'regions.EMEA.unitPrice.percnt: unknown setting'],
      ],
      [
        'missing default and a boolean as text',
        BASE.replace('quantity: { percent: 0, acceptUnderDelivery: true }', 'quantity: { acceptUnderDelivery: yes }'),
        ['defaults.quantity.percent: is required', 'defaults.quantity.acceptUnderDelivery: must be true or false'],
      ],
      [
        'bad country code',
        BASE.replace('countries: [NL, DE]', 'countries: [NL, Germany]'),
        ['regions.EMEA.countries.1: must be an ISO 3166-1 alpha-2 country code such as NL'],
      ],
      [
        'country in two regions',
        BASE.replace('regions:\n', 'regions:\n  APAC:\n    countries: [JP, DE]\n'),
        ['regions.EMEA.countries.1: DE is already in region APAC'],
      ],
    ])('%s', (_name, yamlText, expected) => {
      expect([...problemsOf(yamlText)].sort()).toEqual([...expected].sort());
    });

    it('reports YAML syntax errors', () => {
      expect(problemsOf('defaults: [unclosed')[0]).toMatch(/^YAML syntax:/);
    });

    it('names the file and every problem in the error message', () => {
      expect(() => parseMatchToleranceRules('defaults: {}', 'cfg.yaml')).toThrow(
        /Invalid rules file cfg.yaml:\n {2}- defaults.quantity: is required/,
      );
    });
  });
});
