/**
 * Decimals at the boundary to platforms whose JSON carries amounts as numbers (Oracle Fusion).
 * A JSON number is never used as a money value: on input it is turned into its decimal text, on
 * output a canonical decimal becomes a number only when the number carries it exactly.
 */
import { Decimal } from './decimal';

/** Decimal text with at most this many significant digits round-trips exactly through a double. */
export const MAX_EXACT_JSON_DIGITS = 15;

/** Significant digits of decimal text ("-0.0120" has 3: leading zeros and the point do not count, trailing zeros do). */
function significantDigits(text: string): number {
  return text.replace(/^[+-]/, '').replace('.', '').replace(/^0+/, '').length;
}

/**
 * The decimal text of a JSON number as JSON.parse left it: String(n) is the shortest text that
 * round-trips to the same double. Undefined for NaN, Infinity and exponent forms (1e21, 1e-7),
 * which are not decimal text.
 */
export function decimalTextOfJsonNumber(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
}

/** True when decimal text has few enough significant digits to be exactly what the platform wrote (see MAX_EXACT_JSON_DIGITS). */
export function isExactAsJsonNumber(text: string): boolean {
  return significantDigits(text) <= MAX_EXACT_JSON_DIGITS;
}

/**
 * Shortest JSON number for a canonical decimal, for platforms whose REST API takes numbers:
 * "1250.5000" -> 1250.5. Undefined when a JavaScript number cannot carry the value exactly (more
 * than 15 significant digits), because JSON.stringify would then send a different amount than
 * the one approved.
 */
export function toExactJsonNumber(value: string): number | undefined {
  const trimmed = value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
  if (!isExactAsJsonNumber(trimmed)) return undefined;
  const n = Number(trimmed);
  return Object.is(n, -0) ? 0 : n;
}

/**
 * A decimal from a JSON value that may be decimal text or a JSON number (Fusion clients send both):
 * a number is read through its shortest decimal text and never used in arithmetic. Undefined for
 * anything else (exponent forms, NaN, booleans, objects, "1,5").
 */
export function decimalOfJsonValue(value: unknown): Decimal | undefined {
  if (typeof value === 'string') return Decimal.tryParse(value);
  if (typeof value === 'number') {
    const text = decimalTextOfJsonNumber(value);
    return text === undefined ? undefined : Decimal.tryParse(text);
  }
  return undefined;
}
