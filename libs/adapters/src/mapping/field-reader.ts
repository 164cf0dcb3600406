/**
 * Readers for untrusted platform JSON. Each read either returns the canonical value or records a
 * problem at the field's source path and returns undefined, so a mapper reads the whole payload
 * and reports every bad field at once (see MappingError).
 *
 * Decimal rule (money, quantities, prices). Accepted:
 *  - strings of digits with an optional sign and one decimal point ("1250.5", "-3", "0.125000"),
 *    with at most `scale` fraction digits (never silently rounded) and at most 19 - scale integer
 *    digits (the contract's decimal(19, scale));
 *  - JSON numbers, because Oracle Fusion's REST API sends amounts as numbers (`"InvoiceAmount": 140`).
 *    By the time we see one, JSON.parse has already turned its text into a binary double, so the
 *    original text is gone. `String(n)` yields the shortest decimal text that round-trips to the
 *    same double, and any decimal text with at most 15 significant digits round-trips exactly.
 *    So a number whose shortest text has at most 15 significant digits and no exponent is
 *    exactly what the platform wrote; anything longer (or 1e21-style) may already have been
 *    altered by parsing and is rejected with a request to send it as a string.
 * Rejected: locale forms ("12,5", "1 250.00"), exponents, empty strings, NaN/Infinity, booleans.
 */
import {
  canonicalDecimal,
  decimalTextOfJsonNumber,
  isDecimalText,
  isExactAsJsonNumber,
  isIso3166Alpha2,
  isIso4217,
  MAX_EXACT_JSON_DIGITS,
  MONEY_PRECISION,
} from '@finmesh/contracts';
import { ProblemCollector } from './mapping-error';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;
/** Digits of every contract decimal read here (money, quantities, unit prices: decimal(19, scale)). */
const DECIMAL_PRECISION = MONEY_PRECISION;

/** Short description of an unexpected value for a problem reason: `"12,5"`, `12.5`, `null`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `parent.key`, `parent[i]`; '' is the root. */
export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Canonical decimal at `scale` or the reason it is not one (see the module comment for the rule). */
export function parseDecimal(value: unknown, scale: number): { value: string } | { reason: string } {
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { reason: `must be a decimal number, got ${describeValue(value)}` };
    const exactText = decimalTextOfJsonNumber(value);
    if (exactText === undefined || !isExactAsJsonNumber(exactText)) {
      return { reason: `JSON number ${String(value)} cannot be read exactly (more than ${MAX_EXACT_JSON_DIGITS} significant digits or an exponent); send it as a decimal string` };
    }
    text = exactText;
  } else {
    return { reason: `must be a decimal number, got ${describeValue(value)}` };
  }
  if (!isDecimalText(text)) return { reason: `must be a decimal number, got ${describeValue(value)}` };
  const [intPart = '', fraction = ''] = text.replace(/^[+-]/, '').split('.');
  if (fraction.length > scale) {
    return { reason: `has ${fraction.length} fraction digits, at most ${scale} allowed (no silent rounding), got ${describeValue(value)}` };
  }
  const integerDigits = intPart.replace(/^0+/, '').length;
  if (integerDigits > DECIMAL_PRECISION - scale) {
    return { reason: `has ${integerDigits} integer digits, at most ${DECIMAL_PRECISION - scale} allowed, got ${describeValue(value)}` };
  }
  // The canonical form never has a negative zero: "-0.00" comes out as "0.0000".
  return { value: canonicalDecimal(text, scale) };
}

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * A cursor on one object of a platform payload. `path` is where that object sits in the source
 * payload; every read below records problems under `path.key`.
 */
export class FieldReader {
  constructor(
    readonly value: Record<string, unknown>,
    readonly path: string,
    readonly problems: ProblemCollector,
  ) {}

  /** Reader on the payload root; records a problem and returns undefined when it is not an object. */
  static root(payload: unknown, problems: ProblemCollector, path = ''): FieldReader | undefined {
    if (!isPlainObject(payload)) {
      problems.add(path, `must be a JSON object, got ${describeValue(payload)}`);
      return undefined;
    }
    return new FieldReader(payload, path, problems);
  }

  pathOf(key: string): string {
    return joinPath(this.path, key);
  }

  problem(key: string, reason: string): void {
    this.problems.add(this.pathOf(key), reason);
  }

  /** Raw value; absent and null are treated alike (platforms use both for "not set"). */
  raw(key: string): unknown {
    const v = this.value[key];
    return v === null ? undefined : v;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  private missing(key: string): undefined {
    this.problem(key, 'is required');
    return undefined;
  }

  string(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return this.missing(key);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v); // numeric ids (Fusion SupplierId)
    if (typeof v !== 'string') {
      this.problem(key, `must be a string, got ${describeValue(v)}`);
      return undefined;
    }
    if (v.trim() === '') {
      this.problem(key, 'must not be empty');
      return undefined;
    }
    return v.trim();
  }

  /** Null when absent, null or blank. */
  optionalString(key: string): string | null | undefined {
    const v = this.raw(key);
    if (v === undefined || (typeof v === 'string' && v.trim() === '')) return null;
    return this.string(key);
  }

  integer(key: string, options: { min?: number } = {}): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return this.missing(key);
    const n = typeof v === 'string' && /^[+-]?\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
      this.problem(key, `must be a whole number, got ${describeValue(v)}`);
      return undefined;
    }
    if (options.min !== undefined && n < options.min) {
      this.problem(key, `must be at least ${options.min}, got ${n}`);
      return undefined;
    }
    return n;
  }

  optionalInteger(key: string, options: { min?: number } = {}): number | null | undefined {
    return this.has(key) ? this.integer(key, options) : null;
  }

  /** Booleans; also the 'Y'/'N' and 'true'/'false' strings some platforms send. Absent -> fallback. */
  boolean(key: string, fallback: boolean): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    if (v === 'Y' || v === 'true') return true;
    if (v === 'N' || v === 'false') return false;
    this.problem(key, `must be true or false, got ${describeValue(v)}`);
    return undefined;
  }

  decimal(key: string, scale: number): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return this.missing(key);
    const parsed = parseDecimal(v, scale);
    if ('reason' in parsed) {
      this.problem(key, parsed.reason);
      return undefined;
    }
    return parsed.value;
  }

  optionalDecimal(key: string, scale: number): string | null | undefined {
    return this.has(key) ? this.decimal(key, scale) : null;
  }

  /** Calendar date 'YYYY-MM-DD'. Timestamps are accepted and cut to their (source-local) date part. */
  date(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return this.missing(key);
    const text = typeof v === 'string' && ISO_TIMESTAMP.test(v) ? v.slice(0, 10) : v;
    const m = typeof text === 'string' ? ISO_DATE.exec(text) : null;
    if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
      this.problem(key, `must be an ISO date (YYYY-MM-DD), got ${describeValue(v)}`);
      return undefined;
    }
    return m[0];
  }

  optionalDate(key: string): string | null | undefined {
    return this.has(key) ? this.date(key) : null;
  }

  /** ISO 8601 timestamp with an explicit offset (a time without zone is ambiguous). */
  timestamp(key: string): Date | undefined {
    const v = this.raw(key);
    if (v === undefined) return this.missing(key);
    const ok = typeof v === 'string' && ISO_TIMESTAMP.test(v) && isRealDate(Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10)));
    const date = ok ? new Date(v) : undefined;
    if (!date || Number.isNaN(date.getTime())) {
      this.problem(key, `must be an ISO 8601 timestamp with offset, got ${describeValue(v)}`);
      return undefined;
    }
    return date;
  }

  /** ISO 4217 alphabetic code: three upper-case letters. */
  currency(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return this.missing(key);
    if (typeof v !== 'string' || !CURRENCY.test(v)) {
      this.problem(key, `must be an ISO 4217 currency code (3 upper-case letters), got ${describeValue(v)}`);
      return undefined;
    }
    if (!isIso4217(v)) {
      this.problem(key, `must be an ISO 4217 currency code; ${describeValue(v)} is not one`);
      return undefined;
    }
    return v;
  }

  /** ISO 3166-1 alpha-2 country code. */
  country(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return this.missing(key);
    if (typeof v !== 'string' || !COUNTRY.test(v)) {
      this.problem(key, `must be an ISO 3166-1 alpha-2 country code, got ${describeValue(v)}`);
      return undefined;
    }
    if (!isIso3166Alpha2(v)) {
      this.problem(key, `must be an ISO 3166-1 alpha-2 country code; ${describeValue(v)} is not one`);
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.raw(key);
    if (v === undefined) return this.missing(key);
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      this.problem(key, `must be one of ${allowed.join(', ')}, got ${describeValue(v)}`);
      return undefined;
    }
    return v as T;
  }

  object(key: string): FieldReader | undefined {
    const v = this.raw(key);
    if (v === undefined) return this.missing(key);
    if (!isPlainObject(v)) {
      this.problem(key, `must be an object, got ${describeValue(v)}`);
      return undefined;
    }
    return new FieldReader(v, this.pathOf(key), this.problems);
  }

  /** Null when absent; undefined (with a problem) when present but not an object. */
  optionalObject(key: string): FieldReader | null | undefined {
    return this.has(key) ? this.object(key) : null;
  }

  /** Readers on each element; an absent array is `[]` unless `minItems` says otherwise. */
  array(key: string, options: { minItems?: number } = {}): FieldReader[] {
    const v = this.raw(key) ?? [];
    if (!Array.isArray(v)) {
      this.problem(key, `must be an array, got ${describeValue(v)}`);
      return [];
    }
    if (options.minItems !== undefined && v.length < options.minItems) {
      this.problem(key, `must contain at least ${options.minItems} item(s), got ${v.length}`);
    }
    const readers: FieldReader[] = [];
    v.forEach((item, i) => {
      const path = joinPath(this.pathOf(key), i);
      if (isPlainObject(item)) readers.push(new FieldReader(item, path, this.problems));
      else this.problems.add(path, `must be an object, got ${describeValue(item)}`);
    });
    return readers;
  }
}
