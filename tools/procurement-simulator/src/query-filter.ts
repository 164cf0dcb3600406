/**
 * Coupa's query syntax on collection GETs (compass.coupa.com, The Coupa Core API > Get Started
 * with the API > "Querying Options" and "API Return Formats"):
 *  - `<attribute>[<operator>]=<value>`, attributes of associations as `supplier[name]=...`, of
 *    collections by their plural (`order-lines[account][code]=a-c`: any element matches);
 *  - operators: (none) equality, contains, starts_with, ends_with, blank (true/false), gt, lt,
 *    gt_or_eq, lt_or_eq, not_eq, in, not_in (comma-separated lists);
 *  - dates in ISO 8601 with offset; a date without time is midnight UTC; a `+` that arrives as a
 *    space (not encoded as %2B) is read back as `+`;
 *  - "We allow up to 50 records per API GET"; `offset` pages on; a JSON query without results is
 *    `[ ]`;
 *  - `fields=["id","exported",{...}]` limits the answer (top-level names here; a nested selection
 *    keeps that association whole).
 * "Arguments" (same section): results come "start[ing] with id=1", 50 at a time (`offset=50`,
 * `offset=100`); in arguments "any dashes should be converted to underscores", and an
 * association's id is `<association>_id` (`from_currency_id=1`). Names match with `-` and `_`
 * alike here (`updated_at` = `updated-at`).
 * Simulator choices: `limit` (at most 50) shortens a page; results are ordered by `id` ascending
 * unless `order_by` (+ `dir=asc|desc`) names an attribute (unconfirmed Coupa parameters);
 * `return_object`, `filter`,
 * `show_deleted_lines` are accepted and ignored; any other parameter that is not an attribute of
 * the records is still applied as a filter (and so matches nothing), never silently dropped.
 */
import { coupaError } from './coupa-errors';
import { isJsonObject, type JsonObject } from './http-io';

export const MAX_PAGE_SIZE = 50;

const OPERATORS = ['contains', 'starts_with', 'ends_with', 'blank', 'gt', 'lt', 'gt_or_eq', 'lt_or_eq', 'not_eq', 'in', 'not_in'] as const;
type Operator = (typeof OPERATORS)[number] | 'eq';

const CONTROL_PARAMS = new Set(['offset', 'limit', 'fields', 'order_by', 'dir', 'return_object', 'filter', 'show_deleted_lines']);

export interface Condition {
  readonly path: readonly string[];
  readonly operator: Operator;
  readonly value: string;
}

export interface CollectionQuery {
  readonly conditions: readonly Condition[];
  readonly offset: number;
  readonly limit: number;
  readonly orderBy: string;
  readonly descending: boolean;
  readonly fields: readonly (string | JsonObject)[] | undefined;
}

const normalize = (name: string) => name.trim().replace(/_/g, '-').toLowerCase();

/** `a[b][gt]` -> path [a, b], operator gt. */
function parseKey(key: string): { path: string[]; operator: Operator } {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m) throw coupaError(400, `Unsupported query parameter "${key}".`, 'query');
  const parts = [m[1] ?? '', ...[...(m[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] ?? '')];
  const last = parts[parts.length - 1] ?? '';
  const isOperator = parts.length > 1 && (OPERATORS as readonly string[]).includes(last);
  return { path: (isOperator ? parts.slice(0, -1) : parts).map(normalize), operator: isOperator ? (last as Operator) : 'eq' };
}

function nonNegativeInt(raw: string | null, fallback: number, name: string): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw coupaError(400, `${name} must be a non-negative integer, got "${raw}".`, 'query');
  return n;
}

export function parseCollectionQuery(params: URLSearchParams): CollectionQuery {
  const conditions: Condition[] = [];
  for (const [key, value] of params) {
    if (CONTROL_PARAMS.has(key)) continue;
    conditions.push({ ...parseKey(key), value });
  }
  let fields: (string | JsonObject)[] | undefined;
  const rawFields = params.get('fields');
  if (rawFields !== null && rawFields !== '') {
    try {
      const parsed = JSON.parse(rawFields) as unknown;
      if (!Array.isArray(parsed) || !parsed.every((f) => typeof f === 'string' || isJsonObject(f))) throw new Error('not an array of names');
      fields = parsed as (string | JsonObject)[];
    } catch (err) {
      throw coupaError(400, `fields must be a JSON array such as ["id","exported"]: ${(err as Error).message}`, 'fields');
    }
  }
  const dir = params.get('dir');
  if (dir !== null && dir !== 'asc' && dir !== 'desc') throw coupaError(400, `dir must be asc or desc, got "${dir}".`, 'query');
  return {
    conditions,
    offset: nonNegativeInt(params.get('offset'), 0, 'offset'),
    // Coupa answers at most 50 records per GET, whatever is asked.
    limit: Math.min(nonNegativeInt(params.get('limit'), MAX_PAGE_SIZE, 'limit'), MAX_PAGE_SIZE),
    orderBy: normalize(params.get('order_by') ?? 'id'),
    descending: dir === 'desc',
    fields,
  };
}

/** Every value at `path` (arrays along the way are flattened: any element may match). */
function valuesAt(record: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return Array.isArray(record) ? record : [record];
  if (Array.isArray(record)) return record.flatMap((r) => valuesAt(r, path));
  if (!isJsonObject(record)) return [];
  const [head = '', ...rest] = path;
  const key = Object.keys(record).find((k) => normalize(k) === head);
  if (key !== undefined) return valuesAt(record[key], rest);
  // `supplier_id=812`: the id of the association `supplier`.
  if (head.endsWith('-id')) return valuesAt(record, [head.slice(0, -'-id'.length), 'id', ...rest]);
  return [undefined];
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Query text -> epoch millis when it is a date (a date alone is midnight UTC; a decoded `+` comes back). */
function asTime(text: string): number | undefined {
  const t = text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  if (!TIMESTAMP.test(t)) return undefined;
  const withZone = /T/.test(t) && !/(Z|[+-]\d{2}:?\d{2})$/.test(t) ? `${t}Z` : t;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

function compare(actual: unknown, expected: string): number | undefined {
  if (actual === undefined || actual === null) return undefined;
  const text = String(actual);
  const [a, b] = [asTime(text), asTime(expected)];
  if (a !== undefined && b !== undefined) return Math.sign(a - b);
  const [x, y] = [Number(text), Number(expected)];
  if (text.trim() !== '' && expected.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return Math.sign(x - y);
  return text < expected ? -1 : text > expected ? 1 : 0;
}

function matchesValue(actual: unknown, c: Condition): boolean {
  const text = actual === undefined || actual === null ? undefined : String(actual);
  switch (c.operator) {
    case 'blank': {
      const blank = text === undefined || text === '';
      return c.value === 'true' ? blank : !blank;
    }
    case 'in':
      return text !== undefined && c.value.split(',').some((v) => compare(actual, v.trim()) === 0);
    case 'not_in':
      return text === undefined || c.value.split(',').every((v) => compare(actual, v.trim()) !== 0);
    case 'contains':
      return text?.includes(c.value) ?? false;
    case 'starts_with':
      return text?.startsWith(c.value) ?? false;
    case 'ends_with':
      return text?.endsWith(c.value) ?? false;
    case 'not_eq':
      return compare(actual, c.value) !== 0;
    case 'gt':
      return compare(actual, c.value) === 1;
    case 'lt':
      return compare(actual, c.value) === -1;
    case 'gt_or_eq':
      return [0, 1].includes(compare(actual, c.value) ?? NaN);
    case 'lt_or_eq':
      return [0, -1].includes(compare(actual, c.value) ?? NaN);
    case 'eq':
      return compare(actual, c.value) === 0;
  }
}

export function matchesConditions(record: JsonObject, conditions: readonly Condition[]): boolean {
  return conditions.every((c) => valuesAt(record, c.path).some((v) => matchesValue(v, c)));
}

/** Filter, order, page and project a resource collection as Coupa's index action does. */
export function runCollectionQuery(records: readonly JsonObject[], query: CollectionQuery): JsonObject[] {
  const matching = records.filter((r) => matchesConditions(r, query.conditions));
  const sorted = [...matching].sort((a, b) => {
    const c = compare(valuesAt(a, [query.orderBy])[0], String(valuesAt(b, [query.orderBy])[0] ?? '')) ?? 0;
    const tie = Number(a['id']) - Number(b['id']);
    return (query.descending ? -c : c) || tie;
  });
  return sorted.slice(query.offset, query.offset + query.limit).map((r) => project(r, query.fields));
}

/** `fields=[...]`: the named top-level attributes only (an association named by an object is kept whole). */
export function project(record: JsonObject, fields: readonly (string | JsonObject)[] | undefined): JsonObject {
  if (!fields) return record;
  const names = new Set(fields.flatMap((f) => (typeof f === 'string' ? [normalize(f)] : Object.keys(f).map(normalize))));
  return Object.fromEntries(Object.entries(record).filter(([k]) => names.has(normalize(k))));
}
