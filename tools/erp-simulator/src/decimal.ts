/**
 * Exact decimal arithmetic for money. Amounts travel as strings ("1250.50"); a JSON number is
 * accepted on input because Fusion clients send both, but it is converted through its shortest
 * decimal representation and never used in arithmetic. Sums are done on scaled BigInts.
 */

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** A decimal as an integer number of units at `scale` fractional digits: 12.5 = { units: 125n, scale: 1 }. */
export interface ScaledDecimal {
  readonly units: bigint;
  readonly scale: number;
}

/** Parses a decimal string or a finite JSON number; returns undefined when it is not a plain decimal. */
export function parseDecimal(value: unknown): ScaledDecimal | undefined {
  let text: string;
  if (typeof value === 'string') {
    text = value.trim();
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    // String(n) is the shortest round-tripping form; exponent forms (1e21, 1e-7) fail the pattern.
    text = String(value);
  } else {
    return undefined;
  }
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const units = BigInt(`${whole}${fraction}`) * (sign === '-' ? -1n : 1n);
  return { units, scale: fraction.length };
}

function rescale(value: ScaledDecimal, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** Exact sum; the result has the largest scale of its operands (at least `minScale`). */
export function sumDecimals(values: readonly ScaledDecimal[], minScale = 2): ScaledDecimal {
  const scale = values.reduce((max, v) => Math.max(max, v.scale), minScale);
  const units = values.reduce((total, v) => total + rescale(v, scale), 0n);
  return { units, scale };
}

/** Formats with exactly `max(value.scale, minScale)` fractional digits, e.g. "1250.50". */
export function formatDecimal(value: ScaledDecimal, minScale = 2): string {
  const scale = Math.max(value.scale, minScale);
  const units = rescale(value, scale);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

export function isPositive(value: ScaledDecimal): boolean {
  return value.units > 0n;
}
