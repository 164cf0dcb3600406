import { dec, ExactDecimal } from './exact-decimal';

describe('ExactDecimal', () => {
  it.each([
    ['0.1', '0.2', '0.3000'],
    ['1250.5000', '-0.0001', '1250.4999'],
    ['-3', '2.25', '-0.7500'],
  ])('adds %s + %s = %s exactly', (a, b, sum) => {
    expect(dec(a).add(dec(b)).toFixed(4)).toBe(sum);
  });

  it('multiplies across scales without rounding', () => {
    // unit price (6 dp) x quantity (4 dp) keeps all 10 fraction digits until rendered
    expect(dec('0.012345').mul(dec('1000.0001')).toString()).toBe('12.3450012345');
  });

  it('takes a percentage exactly', () => {
    expect(dec('1250.00').percentOf(dec('2.5')).toFixed(4)).toBe('31.2500');
    expect(dec('0.10').percentOf(dec('33.3333')).toString()).toBe('0.03333330');
  });

  it.each([
    ['2.00005', 4, '2.0001'],
    ['2.00004', 4, '2.0000'],
    ['-2.00005', 4, '-2.0001'],
    ['-0.00004', 4, '0.0000'],
    ['7', 2, '7.00'],
  ])('rounds %s to %i digits half away from zero: %s', (value, scale, expected) => {
    expect(dec(value).toFixed(scale)).toBe(expected);
  });

  it('compares values of different scales', () => {
    expect(dec('100.5').equals(dec('100.5000'))).toBe(true);
    expect(dec('-1').compareTo(dec('0.0001'))).toBe(-1);
    expect(ExactDecimal.max(dec('1.10'), dec('1.1000001')).toString()).toBe('1.1000001');
  });

  it.each([
    ['0.40', '10.00', 2, '0.04'],
    ['1.2349999', '1', 2, '1.23'],
    ['1', '3', 4, '0.3333'],
    ['2', '3', 4, '0.6667'],
    ['-2', '3', 2, '-0.67'],
    ['12.5', '0.125', 0, '100'],
  ])('divides %s / %s to %i digits: %s', (a, b, scale, expected) => {
    expect(dec(a).divide(dec(b), scale).toString()).toBe(expected);
  });

  it('refuses things that are not decimals', () => {
    expect(() => dec('1e3')).toThrow(/not a decimal/);
    expect(() => dec('12,50')).toThrow(/not a decimal/);
    expect(ExactDecimal.isDecimal('+3.5')).toBe(true);
  });
});
