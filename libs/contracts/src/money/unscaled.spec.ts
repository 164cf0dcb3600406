import { MONEY_PRECISION, MONEY_SCALE } from './contract-scales';
import { explainInvalidDecimal, InvalidDecimalError, isDecimalText } from './decimal-text';
import { fromUnscaled, toUnscaled } from './unscaled';

describe('decimal text and unscaled integers (the codec\'s conversions)', () => {
  const money = { precision: MONEY_PRECISION, scale: MONEY_SCALE };

  it.each([
    ['0', 0n, '0.0000'],
    ['1234.5', 12345000n, '1234.5000'],
    ['-0.0001', -1n, '-0.0001'],
    ['+10.25', 102500n, '10.2500'],
    ['999999999999999.9999', 9999999999999999999n, '999999999999999.9999'],
    ['-999999999999999.9999', -9999999999999999999n, '-999999999999999.9999'],
    ['-0.0000', 0n, '0.0000'],
  ])('%s scales to %s and back to its canonical form', (input, unscaled, canonical) => {
    expect(explainInvalidDecimal(input, money)).toBeUndefined();
    expect(toUnscaled(input, 4)).toBe(unscaled);
    expect(fromUnscaled(unscaled, 4)).toBe(canonical);
  });

  it('prints at scale 0 and at the unit-price scale', () => {
    expect(fromUnscaled(-5n, 0)).toBe('-5');
    expect(fromUnscaled(-5n, 6)).toBe('-0.000005');
    expect(toUnscaled('-0.5', 6)).toBe(-500000n);
  });

  it('refuses a JavaScript number because money is never a float', () => {
    expect(explainInvalidDecimal(10.1, money)).toMatch(/money is never a float/);
  });

  it('refuses more fraction digits than the scale instead of rounding', () => {
    expect(explainInvalidDecimal('1.23456', money)).toMatch(/5 fraction digits; the contract allows 4/);
  });

  it('refuses more integer digits than precision - scale', () => {
    expect(explainInvalidDecimal('1000000000000000', money)).toMatch(/16 integer digits; decimal\(19,4\) allows 15/);
  });

  it.each(['', '1,5', '1.', '.5', 'abc', '1e3', ' 1'])('refuses %p as not a decimal number', (input) => {
    expect(explainInvalidDecimal(input, money)).toBeDefined();
    expect(isDecimalText(input)).toBe(false);
  });

  it('throws a clear error for text that is not a decimal', () => {
    expect(() => toUnscaled('12,50', 4)).toThrow(InvalidDecimalError);
    expect(() => toUnscaled('12,50', 4)).toThrow("'12,50' is not a decimal number");
  });
});
