import { fromUnscaled, toUnscaled } from '@finmesh/contracts';

/**
 * Exact decimal arithmetic for the matching rules. Invoice figures mix scales (quantities and money
 * at 4 fraction digits, unit prices at 6, percentages at 4), and a product such as
 * price x quantity x percent needs up to 14 fraction digits: keeping an unscaled BigInt with its own
 * scale means no step ever rounds, and rounding happens once, when a figure is rendered for an event.
 * Never built from a JavaScript number: money is never a float.
 */
export class ExactDecimal {
  static readonly ZERO = new ExactDecimal(0n, 0);

  private constructor(
    /** The value times 10^scale. */
    readonly unscaled: bigint,
    /** Number of fraction digits `unscaled` carries. */
    readonly scale: number,
  ) {}

  /** Parses a decimal string ("1250.5", "-0.0100", "+3"); throws on anything else. */
  static parse(value: string): ExactDecimal {
    const m = /^[+-]?\d+(?:\.(\d+))?$/.exec(value.trim());
    if (!m) throw new Error(`'${value}' is not a decimal number`);
    const scale = m[1]?.length ?? 0;
    return new ExactDecimal(toUnscaled(value.trim().replace(/^\+/, ''), scale), scale);
  }

  /** True for strings `parse` accepts. */
  static isDecimal(value: string): boolean {
    return /^[+-]?\d+(?:\.\d+)?$/.test(value.trim());
  }

  static of(unscaled: bigint, scale: number): ExactDecimal {
    return new ExactDecimal(unscaled, scale);
  }

  static sum(values: readonly ExactDecimal[]): ExactDecimal {
    return values.reduce((acc, v) => acc.add(v), ExactDecimal.ZERO);
  }

  static min(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static max(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
    return a.compareTo(b) >= 0 ? a : b;
  }

  add(other: ExactDecimal): ExactDecimal {
    const scale = Math.max(this.scale, other.scale);
    return new ExactDecimal(this.at(scale) + other.at(scale), scale);
  }

  sub(other: ExactDecimal): ExactDecimal {
    return this.add(other.neg());
  }

  mul(other: ExactDecimal): ExactDecimal {
    return new ExactDecimal(this.unscaled * other.unscaled, this.scale + other.scale);
  }

  /** this x percent / 100, exactly: dividing by 100 only shifts the scale. */
  percentOf(percent: ExactDecimal): ExactDecimal {
    const product = this.mul(percent);
    return new ExactDecimal(product.unscaled, product.scale + 2);
  }

  /**
   * this / divisor rounded to `scale` fraction digits (half away from zero). Only for display
   * figures (a variance as a percentage in a message); decisions compare products instead, which
   * stay exact.
   */
  divide(divisor: ExactDecimal, scale: number): ExactDecimal {
    if (divisor.isZero()) throw new Error('division by zero');
    // value = (a / 10^sa) / (b / 10^sb); result unscaled at `scale` = a * 10^(scale + sb - sa) / b,
    // computed with one guard digit for the rounding.
    const shift = scale + 1 + divisor.scale - this.scale;
    const numerator = shift >= 0 ? this.unscaled * 10n ** BigInt(shift) : this.unscaled / 10n ** BigInt(-shift);
    const guarded = new ExactDecimal(numerator / divisor.unscaled, scale + 1);
    return guarded.round(scale);
  }

  neg(): ExactDecimal {
    return new ExactDecimal(-this.unscaled, this.scale);
  }

  abs(): ExactDecimal {
    return this.unscaled < 0n ? this.neg() : this;
  }

  compareTo(other: ExactDecimal): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const a = this.at(scale);
    const b = other.at(scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(other: ExactDecimal): boolean {
    return this.compareTo(other) === 0;
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  isNegative(): boolean {
    return this.unscaled < 0n;
  }

  isPositive(): boolean {
    return this.unscaled > 0n;
  }

  /**
   * Canonical string with exactly `scale` fraction digits, rounded half away from zero (commercial
   * rounding, what invoices print) when digits must be dropped.
   */
  toFixed(scale: number): string {
    return fromUnscaled(this.roundedUnscaled(scale), scale);
  }

  /** The value rounded to `scale` fraction digits (half away from zero). */
  round(scale: number): ExactDecimal {
    return new ExactDecimal(this.roundedUnscaled(scale), scale);
  }

  toString(): string {
    return fromUnscaled(this.unscaled, this.scale);
  }

  private roundedUnscaled(scale: number): bigint {
    if (scale >= this.scale) return this.at(scale);
    const divisor = 10n ** BigInt(this.scale - scale);
    const magnitude = this.unscaled < 0n ? -this.unscaled : this.unscaled;
    const quotient = magnitude / divisor;
    const rounded = (magnitude % divisor) * 2n >= divisor ? quotient + 1n : quotient;
    return this.unscaled < 0n ? -rounded : rounded;
  }

  /** Unscaled value at a scale >= this.scale (exact). */
  private at(scale: number): bigint {
    return this.unscaled * 10n ** BigInt(scale - this.scale);
  }
}

/** Shorthand for {@link ExactDecimal.parse}. */
export function dec(value: string): ExactDecimal {
  return ExactDecimal.parse(value);
}
