/**
 * The bytes of Avro `decimal` values: two's-complement unscaled integers, big-endian. Money
 * travels as canonical decimal strings ("1234.5000") in TypeScript; the text <-> unscaled integer
 * conversions and all decimal arithmetic live in the money module (../money). These byte routines
 * are on the decoding hot path (every amount of every event in a rebuild), so they stay hand-written
 * on BigInt and plain integers.
 */
import { fromUnscaled } from '../money/unscaled';

/** Big-endian two's complement, minimal length (Avro decimal on `bytes`). */
export function bigintToTwosComplement(n: bigint): Buffer {
  if (n === 0n) return Buffer.from([0]);
  const bytes: number[] = [];
  let v = n;
  // Emit bytes until the remaining value is pure sign extension of the last byte's top bit.
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.unshift(byte);
    v >>= 8n;
    const signBitSet = (byte & 0x80) !== 0;
    if ((v === 0n && !signBitSet) || (v === -1n && signBitSet)) break;
  }
  return Buffer.from(bytes);
}

/**
 * The canonical decimal string of an Avro decimal's bytes. Up to 6 bytes (48 bits, 2.8e14 as
 * unscaled units) the integer is exact in a double, which is over a billion in money at scale 4,
 * so it is read as a plain number: a consumer decodes several amounts per event, and BigInt
 * arithmetic per byte was a noticeable part of decoding. Longer values take the BigInt path.
 */
export function decimalFromTwosComplement(buf: Buffer, scale: number): string {
  return decimalFromTwosComplementAt(buf, 0, buf.length, scale);
}

/** {@link decimalFromTwosComplement} of the `length` bytes at `start` in `buf`. */
export function decimalFromTwosComplementAt(buf: Buffer, start: number, length: number, scale: number): string {
  if (length === 0 || length > 6) return fromUnscaled(twosComplementToBigint(buf.subarray(start, start + length)), scale);
  const unscaled = buf.readIntBE(start, length);
  const negative = unscaled < 0;
  const digits = String(negative ? -unscaled : unscaled).padStart(scale + 1, '0');
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${digits.slice(0, digits.length - scale)}${fraction}`;
}

export function twosComplementToBigint(buf: Buffer): bigint {
  if (buf.length === 0) return 0n;
  let v = 0n;
  for (const b of buf) v = (v << 8n) | BigInt(b);
  const first = buf[0] ?? 0;
  if (first & 0x80) v -= 1n << BigInt(buf.length * 8);
  return v;
}
