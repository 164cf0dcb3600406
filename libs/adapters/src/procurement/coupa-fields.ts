/**
 * Field conventions shared by the Coupa adapters (purchase orders, receiving transactions,
 * invoices), as the Coupa Core API documents them:
 *  - "Differences between XML and JSON in Coupa" (compass.coupa.com, The Coupa Core API > Get
 *    Started with the API): in JSON, ids and versions are numbers and decimals are strings.
 *  - "Purchase Order Lines API": `line-num` is `string(255)`; the Invoice Line API lists its
 *    `line-num` as `integer` and its `order-line-num` without a type.
 *  - Accounts ("Accounts API"): `segment-1` .. `segment-20` plus `account-type: { name }`, the
 *    chart of accounts.
 *
 * Decided here:
 *  - A Coupa line number maps to finmesh's whole-number line number only when it is one: a JSON
 *    integer, or a string of digits (surrounding blanks and leading zeros allowed: "007" is 7),
 *    from 1 to 2^31-1 (the contract's Avro int). "1.1", "10-A" or "" are refused with the value
 *    named, rather than guessed at.
 *  - Coupa's decimal columns are wider than the contract's (`price` is decimal(46,20) on invoice
 *    lines). Trailing zeros beyond the contract's scale are exact and dropped before the usual
 *    decimal rule applies ("0.12500000" is 0.125000); non-zero digits beyond it are still refused,
 *    never rounded.
 */
import { describeValue, FieldReader } from '../mapping/field-reader';

/** Largest line number the contracts can carry (Avro int). */
const MAX_LINE_NUMBER = 2_147_483_647;

/** Which account segments carry the GL account and the cost center (configuration, per Coupa instance). */
export interface CoupaAccountSegments {
  readonly glAccount: string;
  readonly costCenter: string;
}

export const DEFAULT_COUPA_ACCOUNT_SEGMENTS: CoupaAccountSegments = { glAccount: 'segment-2', costCenter: 'segment-3' };

/** Line number from a Coupa `line-num`-like field (string of digits or JSON integer); a problem otherwise. */
export function coupaLineNumber(reader: FieldReader, key: string): number | undefined {
  const v = reader.raw(key);
  if (v === undefined) {
    reader.problem(key, 'is required');
    return undefined;
  }
  const text = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : undefined;
  const n = text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
  if (n === undefined || !Number.isSafeInteger(n) || n < 1 || n > MAX_LINE_NUMBER) {
    reader.problem(key, `must be a line number: digits only, from 1 to ${MAX_LINE_NUMBER} (Coupa sends it as a string), got ${describeValue(v)}`);
    return undefined;
  }
  return n;
}

/** Like {@link coupaLineNumber}, null when absent. */
export function optionalCoupaLineNumber(reader: FieldReader, key: string): number | null | undefined {
  return reader.has(key) ? coupaLineNumber(reader, key) : null;
}

/** A Coupa decimal at the contract's scale; zeros past the scale are dropped first (see the header). */
export function coupaDecimal(reader: FieldReader, key: string, scale: number): string | undefined {
  return withoutExcessZeros(reader, key, scale).decimal(key, scale);
}

/** Like {@link coupaDecimal}, null when absent. */
export function optionalCoupaDecimal(reader: FieldReader, key: string, scale: number): string | null | undefined {
  return reader.has(key) ? coupaDecimal(reader, key, scale) : null;
}

function withoutExcessZeros(reader: FieldReader, key: string, scale: number): FieldReader {
  const v = reader.raw(key);
  if (typeof v !== 'string') return reader;
  const m = /^\s*([+-]?\d+)\.(\d*?)(0*)\s*$/.exec(v);
  if (!m) return reader;
  const [, int = '', significant = '', zeros = ''] = m;
  // Within the scale already, or non-zero digits beyond it (refused as written, with the original text).
  if (significant.length + zeros.length <= scale || significant.length > scale) return reader;
  const normalized = significant === '' ? int : `${int}.${significant}`;
  // A reader on a copy, so problems keep the source path and the payload is not modified.
  return new FieldReader({ ...reader.value, [key]: normalized }, reader.path, reader.problems);
}
