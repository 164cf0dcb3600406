import { formatDecimal, parseDecimal, sumDecimals } from './decimal';
import { parseQueryFilter } from './http-io';

describe('decimal money helpers', () => {
  it('sums exactly where floats would drift', () => {
    const values = ['0.1', '0.2', 0.3].map((v) => parseDecimal(v)!);
    expect(formatDecimal(sumDecimals(values))).toBe('0.60');
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
  });

  it('keeps the largest scale and handles large and negative amounts', () => {
    const values = ['99999999999999.9999', '0.0001', '-10.5'].map((v) => parseDecimal(v)!);
    expect(formatDecimal(sumDecimals(values))).toBe('99999999999989.5000');
    expect(formatDecimal(parseDecimal('-0.5')!)).toBe('-0.50');
    expect(formatDecimal(parseDecimal(7)!)).toBe('7.00');
  });

  it('refuses non-decimals', () => {
    for (const bad of ['', 'abc', '1e5', 1e21, Number.NaN, '1.', '.5', '1,5', null, {}]) {
      expect(parseDecimal(bad)).toBeUndefined();
    }
  });
});

describe('q filter', () => {
  it('parses Attr=value terms, quoted or not', () => {
    expect(parseQueryFilter("InvoiceNumber='INV-1';SupplierNumber=S1")).toEqual([
      ['InvoiceNumber', 'INV-1'],
      ['SupplierNumber', 'S1'],
    ]);
    expect(parseQueryFilter(null)).toEqual([]);
  });

  it('refuses operators it does not implement', () => {
    expect(() => parseQueryFilter('InvoiceAmount > 5')).toThrow(/Unsupported q expression/);
  });
});
