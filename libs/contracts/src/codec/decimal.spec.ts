import {
  bigintToTwosComplement,
  decimalFromTwosComplement,
  explainInvalidDecimal,
  fromUnscaled,
  toUnscaled,
  twosComplementToBigint,
} from './decimal';

describe('decimal', () => {
  const money = { precision: 19, scale: 4 };

  it.each([
    ['0', 0n, '0.0000'],
    ['1234.5', 12345000n, '1234.5000'],
    ['-0.0001', -1n, '-0.0001'],
    ['+10.25', 102500n, '10.2500'],
    ['999999999999999.9999', 9999999999999999999n, '999999999999999.9999'],
  ])('%s scales to %s and back to its canonical form', (input, unscaled, canonical) => {
    expect(explainInvalidDecimal(input, money)).toBeUndefined();
    expect(toUnscaled(input, 4)).toBe(unscaled);
    expect(fromUnscaled(unscaled, 4)).toBe(canonical);
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
  });

  it.each([0n, 1n, -1n, 127n, 128n, -128n, -129n, 255n, 256n, 2n ** 63n - 1n, -(2n ** 63n), 10n ** 30n])(
    'two\'s complement round trip of %s is minimal and exact',
    (n) => {
      const buf = bigintToTwosComplement(n);
      expect(twosComplementToBigint(buf)).toBe(n);
      if (buf.length > 1) {
        // Minimal: the first byte is not a redundant sign extension of the second.
        const [b0, b1] = [buf[0]!, buf[1]!];
        expect((b0 === 0x00 && (b1 & 0x80) === 0) || (b0 === 0xff && (b1 & 0x80) !== 0)).toBe(false);
      }
    },
  );

  it('matches the Java BigInteger encoding of known values', () => {
    expect(bigintToTwosComplement(128n).toString('hex')).toBe('0080');
    expect(bigintToTwosComplement(-128n).toString('hex')).toBe('80');
    expect(bigintToTwosComplement(-129n).toString('hex')).toBe('ff7f');
  });

  it.each([0n, 1n, -1n, 5n, -5n, 10000n, -10000n, 12345000n, 2n ** 47n - 1n, -(2n ** 47n), 2n ** 47n, -(2n ** 47n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)])(
    'reads the bytes of %s as the same canonical string on the number and BigInt paths',
    (n) => {
      const buf = bigintToTwosComplement(n);
      for (const scale of [0, 2, 4, 6]) expect(decimalFromTwosComplement(buf, scale)).toBe(fromUnscaled(n, scale));
    },
  );

  it('reads a non-minimal encoding (sign-extended to 6 bytes) exactly', () => {
    expect(decimalFromTwosComplement(Buffer.from('ffffffffffff', 'hex'), 4)).toBe('-0.0001');
    expect(decimalFromTwosComplement(Buffer.from('000000000001', 'hex'), 4)).toBe('0.0001');
  });
});
