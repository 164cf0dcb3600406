/**
 * Exact arithmetic on canonical decimal strings for the consistency checks of the mappers
 * (line totals, quantity x price). Values are carried as bigint "units" at a fixed scale; nothing
 * ever goes through a binary float.
 */
import { fromUnscaled, toUnscaled } from '@finmesh/contracts';

/** Scale of Money.amount and quantities (decimal(19,4)). */
export const AMOUNT_SCALE = 4;
/** Scale of UnitPrice.amount (decimal(19,6)). */
export const UNIT_PRICE_SCALE = 6;

export function units(value: string, scale: number): bigint {
  return toUnscaled(value, scale);
}

export function decimalOf(value: bigint, scale: number): string {
  return fromUnscaled(value, scale);
}

export function sumDecimals(values: readonly string[], scale: number): string {
  return fromUnscaled(
    values.reduce((acc, v) => acc + toUnscaled(v, scale), 0n),
    scale,
  );
}

export function addDecimals(a: string, b: string, scale: number): string {
  return fromUnscaled(toUnscaled(a, scale) + toUnscaled(b, scale), scale);
}

/** Divides by 10^drop rounding half away from zero (commercial rounding, as invoices are rounded). */
function roundDrop(value: bigint, drop: number): bigint {
  if (drop <= 0) return value * 10n ** BigInt(-drop);
  const divisor = 10n ** BigInt(drop);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const rounded = (magnitude + divisor / 2n) / divisor;
  return negative ? -rounded : rounded;
}

/** a x b rounded to `resultScale`, e.g. quantity (scale 4) x unit price (scale 6) -> amount (scale 4). */
export function multiplyDecimals(a: string, aScale: number, b: string, bScale: number, resultScale: number): string {
  const product = toUnscaled(a, aScale) * toUnscaled(b, bScale);
  return fromUnscaled(roundDrop(product, aScale + bScale - resultScale), resultScale);
}

/** |a - b| <= tolerance, all at `scale`. */
export function withinTolerance(a: string, b: string, tolerance: string, scale: number): boolean {
  const diff = toUnscaled(a, scale) - toUnscaled(b, scale);
  return (diff < 0n ? -diff : diff) <= toUnscaled(tolerance, scale);
}

/** Same value at a larger scale ("12.5000" at 4 -> "12.500000" at 6). */
export function rescale(value: string, from: number, to: number): string {
  return fromUnscaled(toUnscaled(value, from) * 10n ** BigInt(to - from), to);
}

export function negateDecimal(value: string, scale: number): string {
  return fromUnscaled(-toUnscaled(value, scale), scale);
}

export function isNegative(value: string): boolean {
  return value.startsWith('-') && /[1-9]/.test(value);
}

/**
 * Shortest JSON number text for a canonical decimal, for platforms whose REST API takes numbers
 * (Oracle Fusion): "1250.5000" -> "1250.5". Undefined when a JavaScript number cannot carry the
 * value exactly (more than 15 significant digits), because JSON.stringify would then send a
 * different amount than the one approved.
 */
export function toExactJsonNumber(value: string): number | undefined {
  const trimmed = value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
  const digits = trimmed.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  if (digits.length > 15) return undefined;
  const n = Number(trimmed);
  return Object.is(n, -0) ? 0 : n;
}
