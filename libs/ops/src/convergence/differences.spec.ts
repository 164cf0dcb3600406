import { compareSet, convergenceOf } from './differences';

const map = (entries: Record<string, Record<string, string | null>>) => new Map(Object.entries(entries));

describe('convergence differences', () => {
  it('names what is missing on the platform and every field that differs, in key order', () => {
    const differences = compareSet({
      platform: 'erp',
      entity: 'invoice',
      expected: map({ 'INV-2': { amount: '10.00', status: 'Validated' }, 'INV-1': { amount: '5.00', status: 'Canceled' }, 'INV-3': { amount: '1.00', status: null } }),
      actual: map({ 'INV-1': { amount: '5.00', status: 'Validated' }, 'INV-3': { amount: '1.00', status: null }, 'INV-9': { amount: '9.00', status: 'Validated' } }),
    });
    expect(differences).toEqual([
      { platform: 'erp', entity: 'invoice', key: 'INV-1', kind: 'mismatch', field: 'status', expected: 'Canceled', actual: 'Validated' },
      { platform: 'erp', entity: 'invoice', key: 'INV-2', kind: 'missing' },
    ]);
  });

  it('reports records only the platform holds when asked, and converges when nothing differs', () => {
    const expected = map({ A: { status: 'active' } });
    const actual = map({ A: { status: 'active' }, B: { status: 'active' } });
    expect(compareSet({ platform: 'procurement', entity: 'supplier', expected, actual, reportUnexpected: true })).toEqual([
      { platform: 'procurement', entity: 'supplier', key: 'B', kind: 'unexpected' },
    ]);
    expect(convergenceOf([{ platform: 'procurement', entity: 'supplier', expected, actual }])).toEqual({ converged: true, differences: [] });
  });
});
