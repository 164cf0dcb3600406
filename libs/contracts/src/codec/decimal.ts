/**
 * Exact decimal arithmetic for Avro `decimal` values. Money travels as canonical decimal strings
 * ("1234.5000") in TypeScript and as two's-complement unscaled integers on the wire: never as
 * binary floating point, which cannot represent 0.10 exactly.
 */
const DECIMAL_PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;

export interface DecimalSpec {
  readonly precision: number;
  readonly scale: number;
}

/** Why `value` is not a valid decimal for `spec`, or undefined when it is. */
export function explainInvalidDecimal(value: unknown, spec: DecimalSpec): string | undefined {
  if (typeof value !== 'string') {
    return `expected a decimal string with at most ${spec.scale} fraction digits, got ${typeof value === 'number' ? 'a JavaScript number (money is never a float)' : typeof value}`;
  }
  const m = DECIMAL_PATTERN.exec(value);
  if (!m) return `'${value}' is not a decimal number (digits, optional sign and one decimal point)`;
  const fraction = m[3] ?? '';
  if (fraction.length > spec.scale) {
    return `'${value}' has ${fraction.length} fraction digits; the contract allows ${spec.scale} (no silent rounding)`;
  }
  const integerDigits = (m[2] ?? '').replace(/^0+(?=\d)/, '');
  const significant = integerDigits === '0' ? 0 : integerDigits.length;
  if (significant > spec.precision - spec.scale) {
    return `'${value}' has ${significant} integer digits; decimal(${spec.precision},${spec.scale}) allows ${spec.precision - spec.scale}`;
  }
  return undefined;
}

/** Unscaled integer of a valid decimal string at `scale`; call {@link explainInvalidDecimal} first. */
export function toUnscaled(value: string, scale: number): bigint {
  const m = DECIMAL_PATTERN.exec(value);
  if (!m) throw new Error(`'${value}' is not a decimal number`);
  const fraction = (m[3] ?? '').padEnd(scale, '0');
  const unscaled = BigInt(`${m[2] ?? '0'}${fraction}`);
  return m[1] === '-' ? -unscaled : unscaled;
}

/** Canonical string of an unscaled integer: always exactly `scale` fraction digits, no '+' sign. */
export function fromUnscaled(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const intPart = digits.slice(0, digits.length - scale);
  const fracPart = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${intPart}${fracPart}`;
}

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
