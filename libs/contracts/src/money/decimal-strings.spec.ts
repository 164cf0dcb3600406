import { MONEY_SCALE, UNIT_PRICE_SCALE } from './contract-scales';
import { addDecimals, canonicalDecimal, multiplyDecimals, negateDecimal, subtractDecimals, sumDecimals } from './decimal-strings';

describe('decimal strings at a scale', () => {
  it('multiplies exactly and rounds half away from zero', () => {
    expect(multiplyDecimals('3.0000', '0.333335', MONEY_SCALE)).toBe('1.0000');
    expect(multiplyDecimals('-1.0000', '0.000050', MONEY_SCALE)).toBe('-0.0001');
    expect(multiplyDecimals('1.0000', '0.000050', MONEY_SCALE)).toBe('0.0001');
    expect(multiplyDecimals('-1.0000', '0.000049', MONEY_SCALE)).toBe('0.0000');
    expect(multiplyDecimals('2.5', '1', 0)).toBe('3');
    expect(multiplyDecimals('-2.5', '1', 0)).toBe('-3');
  });

  it('sums, adds and subtracts at the scale', () => {
    expect(sumDecimals(['0.1000', '0.2000', '-0.0001'], MONEY_SCALE)).toBe('0.2999');
    expect(sumDecimals([], MONEY_SCALE)).toBe('0.0000');
    expect(addDecimals('999999999999999.9999', '-999999999999999.9999', MONEY_SCALE)).toBe('0.0000');
    expect(subtractDecimals('0.3000', '0.1000', MONEY_SCALE)).toBe('0.2000');
    expect(subtractDecimals('0.1000', '0.6000', MONEY_SCALE)).toBe('-0.5000');
  });

  it('negates without a negative zero', () => {
    expect(negateDecimal('12.5000', MONEY_SCALE)).toBe('-12.5000');
    expect(negateDecimal('-12.5000', MONEY_SCALE)).toBe('12.5000');
    expect(negateDecimal('0.0000', MONEY_SCALE)).toBe('0.0000');
  });

  it('puts a value in canonical form at a scale', () => {
    expect(canonicalDecimal('-0.00', MONEY_SCALE)).toBe('0.0000');
    expect(canonicalDecimal('+0.125', UNIT_PRICE_SCALE)).toBe('0.125000');
    expect(canonicalDecimal('12.5000', UNIT_PRICE_SCALE)).toBe('12.500000');
    expect(() => canonicalDecimal('1,5', MONEY_SCALE)).toThrow("'1,5' is not a decimal number");
  });
});
