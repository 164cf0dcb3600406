import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@finmesh/service-kit';
import { loadInvoiceRules } from './invoice-rules';

describe('invoice rules at start-up', () => {
  it('loads the rules files shipped with the service', () => {
    const rules = loadInvoiceRules({ matchTolerancesFile: undefined, taxCodesFile: undefined });
    expect(rules.tolerances.defaults.unitPrice.combine).toBe('STRICTER');
    expect(Object.keys(rules.taxCodes.countries)).toContain('NL');
  });

  it('reports the problems of both files at once as a ConfigError (exit code 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoice-rules-'));
    writeFileSync(join(dir, 'tol.yaml'), 'defaults: {}\n');
    let error: unknown;
    try {
      loadInvoiceRules({ matchTolerancesFile: join(dir, 'tol.yaml'), taxCodesFile: join(dir, 'missing.yaml') });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.some((p) => p.includes('tol.yaml') && p.includes('defaults.quantity'))).toBe(true);
    expect(problems.some((p) => p.includes('missing.yaml'))).toBe(true);
  });
});
