import { fromUnscaled } from '../money/unscaled';
import { bigintToTwosComplement, decimalFromTwosComplement, twosComplementToBigint } from './decimal';

// Decimal text <-> unscaled integer and its validation are specified in ../money/unscaled.spec.ts.
describe('decimal bytes (two\'s complement)', () => {

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
