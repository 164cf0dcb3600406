import { Decimal } from './decimal';

/**
 * Arithmetic on canonical decimal strings at one scale, for code that holds contract values as
 * text (mappers, settlement, receipt checks): each function parses exactly, computes with Decimal
 * and renders once at `scale`, rounding half away from zero only when a product or an input carries
 * more digits than `scale`. Throws InvalidDecimalError for text that is not a decimal.
 */

/** The canonical form of `value` at `scale`: "-0.00" -> "0.0000", "12.5" -> "12.500000" at 6. */
export function canonicalDecimal(value: string, scale: number): string {
  return Decimal.parse(value).toFixed(scale);
}

export function sumDecimals(values: readonly string[], scale: number): string {
  return Decimal.sum(values.map((v) => Decimal.parse(v))).toFixed(scale);
}

export function addDecimals(a: string, b: string, scale: number): string {
  return Decimal.parse(a).add(Decimal.parse(b)).toFixed(scale);
}

/** a - b. */
export function subtractDecimals(a: string, b: string, scale: number): string {
  return Decimal.parse(a).sub(Decimal.parse(b)).toFixed(scale);
}

export function negateDecimal(value: string, scale: number): string {
  return Decimal.parse(value).neg().toFixed(scale);
}

/** a x b rounded once to `scale`, e.g. quantity (scale 4) x unit price (scale 6) -> amount (scale 4). */
export function multiplyDecimals(a: string, b: string, scale: number): string {
  return Decimal.parse(a).mul(Decimal.parse(b)).toFixed(scale);
}
