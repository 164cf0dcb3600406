/**
 * What a decimal looks like as text. Money travels as canonical decimal strings ("1234.5000") in
 * TypeScript: digits with an optional sign and at most one decimal point, never an exponent, never
 * a locale form ("1,5"), and never a binary float, which cannot represent 0.10 exactly.
 */

/** Sign, integer digits, fraction digits. */
export const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;

export interface DecimalSpec {
  readonly precision: number;
  readonly scale: number;
}

/** Thrown by the parsers for text that is not a decimal number; the message quotes the text. */
export class InvalidDecimalError extends Error {
  constructor(readonly text: string) {
    super(`'${text}' is not a decimal number`);
    this.name = 'InvalidDecimalError';
  }
}

/** True for decimal text ("1250.5", "-0.0100", "+3"); false for "1e3", "1,5", ".5", "1.". */
export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text);
}

/** Why `value` is not a valid decimal for `spec`, or undefined when it is. */
export function explainInvalidDecimal(value: unknown, spec: DecimalSpec): string | undefined {
  if (typeof value !== 'string') {
    return `expected a decimal string with at most ${spec.scale} fraction digits, got ${typeof value === 'number' ? 'a JavaScript number (money is never a float)' : typeof value}`;
  }
  const m = DECIMAL_TEXT.exec(value);
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
