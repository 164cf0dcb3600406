import { decimalOfJsonValue, decimalTextOfJsonNumber, isExactAsJsonNumber, toExactJsonNumber } from './json-number';

describe('decimals in JSON numbers', () => {
  it('emits JSON numbers only when exact', () => {
    expect(toExactJsonNumber('1250.5000')).toBe(1250.5);
    expect(toExactJsonNumber('-0.0000')).toBe(0);
    expect(Object.is(toExactJsonNumber('-0.0000'), -0)).toBe(false);
    expect(toExactJsonNumber('-0.5000')).toBe(-0.5);
    expect(toExactJsonNumber('123456789012345.6789')).toBeUndefined();
    expect(toExactJsonNumber('12345678901234.5')).toBe(12345678901234.5);
  });

  it('reads a JSON number through its shortest decimal text', () => {
    expect(decimalTextOfJsonNumber(0.1)).toBe('0.1');
    expect(decimalTextOfJsonNumber(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(decimalTextOfJsonNumber(1e21)).toBeUndefined();
    expect(decimalTextOfJsonNumber(1e-7)).toBeUndefined();
    expect(decimalTextOfJsonNumber(Number.NaN)).toBeUndefined();
    expect(decimalTextOfJsonNumber(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(isExactAsJsonNumber('2212.75')).toBe(true);
    expect(isExactAsJsonNumber('0.30000000000000004')).toBe(false);
  });

  it('takes decimal text or a JSON number, nothing else', () => {
    expect(decimalOfJsonValue(7)?.toString()).toBe('7');
    expect(decimalOfJsonValue(-0.5)?.toString()).toBe('-0.5');
    expect(decimalOfJsonValue('-0.50')?.toString()).toBe('-0.50');
    for (const bad of ['', 'abc', '1e5', 1e21, Number.NaN, '1.', '.5', '1,5', null, {}, true]) expect(decimalOfJsonValue(bad)).toBeUndefined();
  });
});
