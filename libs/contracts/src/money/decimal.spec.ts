import { MONEY_SCALE, UNIT_PRICE_SCALE } from './contract-scales';
import { Decimal, decimal } from './decimal';
import { InvalidDecimalError } from './decimal-text';

describe('Decimal', () => {
  it.each([
    ['0.1', '0.2', '0.3000'],
    ['1250.5000', '-0.0001', '1250.4999'],
    ['-3', '2.25', '-0.7500'],
  ])('adds %s + %s = %s exactly', (a, b, sum) => {
    expect(decimal(a).add(decimal(b)).toFixed(4)).toBe(sum);
  });

  it('subtracts, negates and takes the absolute value', () => {
    expect(decimal('0.3').sub(decimal('0.1')).toString()).toBe('0.2');
    expect(decimal('1.5').sub(decimal('2.25')).toString()).toBe('-0.75');
    expect(decimal('-2.50').neg().toString()).toBe('2.50');
    expect(decimal('-2.50').abs().toString()).toBe('2.50');
    expect(decimal('2.50').abs().toString()).toBe('2.50');
    expect(decimal('0.0000').neg().toString()).toBe('0.0000');
  });

  it('multiplies across scales without rounding', () => {
    // unit price (6 dp) x quantity (4 dp) keeps all 10 fraction digits until rendered
    expect(decimal('0.012345').mul(decimal('1000.0001')).toString()).toBe('12.3450012345');
    expect(decimal('-0.000001').mul(decimal('0.0001')).toString()).toBe('-0.0000000001');
  });

  it('takes a percentage exactly', () => {
    expect(decimal('1250.00').percentOf(decimal('2.5')).toFixed(4)).toBe('31.2500');
    expect(decimal('0.10').percentOf(decimal('33.3333')).toString()).toBe('0.03333330');
    expect(decimal('-200').percentOf(decimal('19')).toString()).toBe('-38.00');
  });

  it.each([
    ['2.00005', 4, '2.0001'],
    ['2.00004', 4, '2.0000'],
    ['-2.00005', 4, '-2.0001'],
    ['-0.00004', 4, '0.0000'],
    ['0.00005', 4, '0.0001'],
    ['-0.00005', 4, '-0.0001'],
    ['2.5', 0, '3'],
    ['-2.5', 0, '-3'],
    ['0.5', 0, '1'],
    ['-0.5', 0, '-1'],
    ['-0.49', 0, '0'],
    ['-0.5', 4, '-0.5000'],
    ['7', 2, '7.00'],
    ['0.0000005', 6, '0.000001'],
    ['-0.0000005', 6, '-0.000001'],
  ])('rounds %s to %i digits half away from zero: %s', (value, scale, expected) => {
    expect(decimal(value).toFixed(scale)).toBe(expected);
    expect(decimal(value).round(scale).toString()).toBe(expected);
  });

  it('never prints a negative zero', () => {
    expect(decimal('-0.0000').toFixed(4)).toBe('0.0000');
    expect(decimal('-0.0000').toString()).toBe('0.0000');
    expect(decimal('-0').toFixed(0)).toBe('0');
    expect(decimal('-0.00004').round(4).toString()).toBe('0.0000');
    expect(decimal('1').sub(decimal('1')).neg().toFixed(MONEY_SCALE)).toBe('0.0000');
    expect(decimal('-0.001').divide(decimal('1'), 2).toString()).toBe('0.00');
    expect(decimal('-0.0000').isNegative()).toBe(false);
    expect(decimal('-0.0000').isZero()).toBe(true);
  });

  it('handles large values exactly (19 digits and beyond)', () => {
    expect(decimal('999999999999999.9999').add(decimal('0.0001')).toFixed(4)).toBe('1000000000000000.0000');
    expect(decimal('-999999999999999.9999').sub(decimal('0.0001')).toString()).toBe('-1000000000000000.0000');
    expect(decimal('9999999999999999999').mul(decimal('9999999999999999999')).toString()).toBe('99999999999999999980000000000000000001');
    expect(decimal('1234567890123.456789').mul(decimal('1000.0000')).toFixed(MONEY_SCALE)).toBe('1234567890123456.7890');
    expect(decimal('0.000001').toFixed(UNIT_PRICE_SCALE)).toBe('0.000001');
  });

  it('keeps the larger scale on mixed scales and multiplies the scales of a product', () => {
    expect(decimal('1.5').add(decimal('0.25')).scale).toBe(2);
    expect(decimal('1.5').add(decimal('0.25')).toString()).toBe('1.75');
    expect(decimal('12.5000').mul(decimal('1.000000')).toString()).toBe('12.5000000000');
    expect(decimal('12.5').toFixed(UNIT_PRICE_SCALE)).toBe('12.500000');
  });

  it('compares values of different scales', () => {
    expect(decimal('100.5').equals(decimal('100.5000'))).toBe(true);
    expect(decimal('-1').compareTo(decimal('0.0001'))).toBe(-1);
    expect(decimal('0.0001').compareTo(decimal('-1'))).toBe(1);
    expect(decimal('-0.0').compareTo(decimal('0'))).toBe(0);
    expect(Decimal.max(decimal('1.10'), decimal('1.1000001')).toString()).toBe('1.1000001');
    expect(Decimal.min(decimal('1.10'), decimal('1.1000001')).toString()).toBe('1.10');
    expect(Decimal.min(decimal('-2'), decimal('-1.5')).toString()).toBe('-2');
  });

  it('sums exactly, at the largest scale of its values', () => {
    expect(Decimal.sum(['0.1', '0.2', '0.3'].map(decimal)).toString()).toBe('0.6');
    expect(Decimal.sum(['99999999999999.9999', '0.0001', '-10.5'].map(decimal)).toString()).toBe('99999999999989.5000');
    expect(Decimal.sum([]).toString()).toBe('0');
    // The demo's reporting summary printed this sum as "0.5000".
    expect(Decimal.sum([decimal('-0.5')]).toFixed(MONEY_SCALE)).toBe('-0.5000');
  });

  it('tells the sign', () => {
    expect(decimal('-0.0001').isNegative()).toBe(true);
    expect(decimal('0.0001').isPositive()).toBe(true);
    expect(decimal('0').isPositive()).toBe(false);
    expect(decimal('0').isNegative()).toBe(false);
  });

  it.each([
    ['0.40', '10.00', 2, '0.04'],
    ['1.2349999', '1', 2, '1.23'],
    ['1', '3', 4, '0.3333'],
    ['2', '3', 4, '0.6667'],
    ['-2', '3', 2, '-0.67'],
    ['12.5', '0.125', 0, '100'],
    ['1.00', '1', 2, '1.00'],
    ['5', '2', 0, '3'],
    ['-5', '2', 0, '-3'],
    ['1', '8', 2, '0.13'],
    ['-1', '8', 2, '-0.13'],
    ['0.004999999999999999999999999', '1', 2, '0.00'],
  ])('divides %s / %s to %i digits: %s', (a, b, scale, expected) => {
    expect(decimal(a).divide(decimal(b), scale).toString()).toBe(expected);
  });

  it('refuses to divide by zero', () => {
    expect(() => decimal('1').divide(decimal('0.000'), 2)).toThrow('division by zero');
  });

  it('refuses things that are not decimals', () => {
    expect(() => decimal('1e3')).toThrow(/not a decimal/);
    expect(() => decimal('12,50')).toThrow(/not a decimal/);
    expect(() => decimal('12,50')).toThrow(InvalidDecimalError);
    expect(() => decimal('')).toThrow("'' is not a decimal number");
    for (const bad of ['1.', '.5', 'abc', 'NaN', 'Infinity', '0x10', '1 000', '--1']) expect(Decimal.tryParse(bad)).toBeUndefined();
    expect(Decimal.isDecimal('+3.5')).toBe(true);
    expect(Decimal.isDecimal(' -3.5 ')).toBe(true);
    expect(decimal('+3.5').toString()).toBe('3.5');
    expect(decimal(' 3.50 ').toString()).toBe('3.50');
  });

  it('cannot be coerced into a float', () => {
    expect(() => Number(decimal('0.1'))).toThrow();
  });
});
