import type { Big } from 'big.js';
import { DECIMAL_TEXT, InvalidDecimalError } from './decimal-text';
import { dividerAt, exactBig } from './exact-big';

/** Drops the sign of a zero: big.js keeps negative zero, so -0.00004 at 4 places would print "-0.0000". */
function withoutNegativeZero(text: string): string {
  return text.startsWith('-') && /^-[0.]+$/.test(text) ? text.slice(1) : text;
}

/**
 * An exact decimal value (big.js inside). Figures mix scales (quantities and money at 4 fraction
 * digits, unit prices at 6, percentages at 4), and a product such as price x quantity x percent
 * needs up to 14 fraction digits: add, subtract, multiply and percentOf never round, and rounding
 * happens once, half away from zero, when a figure is rendered (toFixed) or explicitly rounded.
 *
 * A Decimal remembers how many fraction digits it carries (`scale`: those of the parsed text, the
 * larger of a sum's operands, the sum of a product's), so toString() prints "0.03333330" for
 * 0.10 x 33.3333 %, as a BigInt-with-scale would. Never built from a JavaScript number.
 */
export class Decimal {
  static readonly ZERO = new Decimal(exactBig('0'), 0);
  private static readonly HUNDREDTH = exactBig('0.01');

  private constructor(
    private readonly value: Big,
    /** Number of fraction digits the value carries (trailing zeros included). */
    readonly scale: number,
  ) {}

  /** Parses decimal text ("1250.5", "-0.0100", "+3", surrounding blanks allowed); throws InvalidDecimalError on anything else. */
  static parse(text: string): Decimal {
    const parsed = Decimal.tryParse(text);
    if (parsed === undefined) throw new InvalidDecimalError(text);
    return parsed;
  }

  /** Like {@link parse}, but undefined for text that is not a decimal number. */
  static tryParse(text: string): Decimal | undefined {
    const trimmed = text.trim();
    const m = DECIMAL_TEXT.exec(trimmed);
    if (!m) return undefined;
    // big.js refuses a leading '+'.
    return new Decimal(exactBig(m[1] === '+' ? trimmed.slice(1) : trimmed), m[3]?.length ?? 0);
  }

  /** True for text {@link parse} accepts. */
  static isDecimal(text: string): boolean {
    return DECIMAL_TEXT.test(text.trim());
  }

  /** Exact sum; zero (scale 0) for no values. */
  static sum(values: readonly Decimal[]): Decimal {
    return values.reduce((acc, v) => acc.add(v), Decimal.ZERO);
  }

  /** The smaller value; `a` when they are equal. */
  static min(a: Decimal, b: Decimal): Decimal {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The larger value; `a` when they are equal. */
  static max(a: Decimal, b: Decimal): Decimal {
    return a.compareTo(b) >= 0 ? a : b;
  }

  add(other: Decimal): Decimal {
    return new Decimal(this.value.plus(other.value), Math.max(this.scale, other.scale));
  }

  sub(other: Decimal): Decimal {
    return new Decimal(this.value.minus(other.value), Math.max(this.scale, other.scale));
  }

  mul(other: Decimal): Decimal {
    return new Decimal(this.value.times(other.value), this.scale + other.scale);
  }

  /** this x percent / 100, exactly (a multiplication by 0.01, not a division). */
  percentOf(percent: Decimal): Decimal {
    return new Decimal(this.value.times(percent.value).times(Decimal.HUNDREDTH), this.scale + percent.scale + 2);
  }

  /**
   * this / divisor rounded to `scale` fraction digits (half away from zero, rounded once from the
   * exact quotient). For display figures (a variance as a percentage in a message); decisions
   * compare products instead, which stay exact.
   */
  divide(divisor: Decimal, scale: number): Decimal {
    if (divisor.isZero()) throw new Error('division by zero');
    const quotient = dividerAt(scale)(this.value).div(divisor.value);
    return new Decimal(exactBig(quotient), scale);
  }

  neg(): Decimal {
    return new Decimal(this.value.times(exactBig('-1')), this.scale);
  }

  abs(): Decimal {
    return this.isNegative() ? this.neg() : this;
  }

  compareTo(other: Decimal): -1 | 0 | 1 {
    return this.value.cmp(other.value);
  }

  equals(other: Decimal): boolean {
    return this.value.eq(other.value);
  }

  isZero(): boolean {
    return this.value.eq(Decimal.ZERO.value);
  }

  isNegative(): boolean {
    return this.value.lt(Decimal.ZERO.value);
  }

  isPositive(): boolean {
    return this.value.gt(Decimal.ZERO.value);
  }

  /** The value rounded to `scale` fraction digits, half away from zero (exact when `scale` >= this.scale). */
  round(scale: number): Decimal {
    return new Decimal(this.value.round(scale, exactBig.roundHalfUp), scale);
  }

  /**
   * Canonical string with exactly `scale` fraction digits, rounded half away from zero (commercial
   * rounding, what invoices print) when digits must be dropped; never "-0.0000".
   */
  toFixed(scale: number): string {
    return withoutNegativeZero(this.value.toFixed(scale, exactBig.roundHalfUp));
  }

  /** Canonical string at the value's own scale ("1.2500" stays "1.2500"). */
  toString(): string {
    return this.toFixed(this.scale);
  }

  /** Refuses numeric coercion (`+d`, `d * 2`, `Number(d)`): money is never a float. */
  valueOf(): never {
    throw new TypeError('a Decimal is not a JavaScript number (money is never a float); use toFixed(scale) or toString()');
  }
}

/** Shorthand for {@link Decimal.parse}. */
export function decimal(text: string): Decimal {
  return Decimal.parse(text);
}
