import { errorDetail, FusionHttpError } from '../fusion-errors';
import { compareValues, matches, parseQ } from './q-filter';

/**
 * Fusion collection GETs: `q` filter, `orderBy`, `limit`/`offset` paging, `totalResults`, and
 * `expand` of child resources. Answer: `{ items, count, hasMore, limit, offset, links }` (count =
 * items in this page; `totalResults` only when asked for with totalResults=true).
 * Fusion caps a page at 500 rows; a larger limit is answered with 500.
 */
export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 500;

export interface FusionCollection<T> {
  readonly items: readonly T[];
  readonly count: number;
  readonly hasMore: boolean;
  readonly limit: number;
  readonly offset: number;
  readonly totalResults?: number;
  readonly links: ReadonlyArray<{ rel: string; href: string; name: string; kind: string }>;
}

function nonNegativeInt(raw: string | null, fallback: number, name: string): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new FusionHttpError(400, [errorDetail(`${name} must be a non-negative integer.`, 'INVALID_QUERY', name)]);
  return n;
}

interface SortKey {
  readonly attr: string;
  readonly descending: boolean;
}

/** `orderBy=LastUpdateDate` / `LastUpdateDate:desc,InvoiceId:asc`. */
export function parseOrderBy(raw: string | null): SortKey[] {
  if (raw === null || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const m = /^\s*([A-Za-z][A-Za-z0-9_]*)(?::(asc|desc))?\s*$/i.exec(part);
    if (!m) throw new FusionHttpError(400, [errorDetail(`orderBy "${raw}" is not Attribute[:asc|:desc][,…].`, 'INVALID_QUERY', 'orderBy')]);
    return { attr: m[1]!, descending: (m[2] ?? 'asc').toLowerCase() === 'desc' };
  });
}

/** Child resources asked for with `expand` (`all` = every child). */
export function expandedChildren(url: URL): { has(child: string): boolean } {
  const raw = url.searchParams.get('expand');
  const names = new Set((raw ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
  return { has: (child) => names.has('all') || names.has(child) };
}

/**
 * Filters (on the row's flat attributes), sorts (stable: rows keep their natural order on ties)
 * and pages `rows`, then renders each page item with `render`.
 */
export function collection<R extends object, T>(rows: readonly R[], url: URL, resourceName: string, render: (row: R) => T): FusionCollection<T> {
  const terms = parseQ(url.searchParams.get('q'));
  const sort = parseOrderBy(url.searchParams.get('orderBy'));
  const limit = Math.min(nonNegativeInt(url.searchParams.get('limit'), DEFAULT_LIMIT, 'limit'), MAX_LIMIT);
  const offset = nonNegativeInt(url.searchParams.get('offset'), 0, 'offset');
  const filtered = rows.filter((r) => matches(r as Record<string, unknown>, terms));
  const sorted = sort.length === 0 ? filtered : [...filtered].sort((a, b) => compareRows(a as Record<string, unknown>, b as Record<string, unknown>, sort));
  const page = sorted.slice(offset, offset + limit);
  const totalResults = url.searchParams.get('totalResults') === 'true' ? { totalResults: sorted.length } : {};
  return {
    items: page.map(render),
    count: page.length,
    hasMore: offset + page.length < sorted.length,
    limit,
    offset,
    ...totalResults,
    links: [{ rel: 'self', href: url.toString(), name: resourceName, kind: 'collection' }],
  };
}

function compareRows(a: Record<string, unknown>, b: Record<string, unknown>, keys: readonly SortKey[]): number {
  for (const { attr, descending } of keys) {
    const av = a[attr];
    const bv = b[attr];
    if (av === bv) continue;
    // Nulls sort last either way.
    if (av === null || av === undefined) return 1;
    if (bv === null || bv === undefined) return -1;
    const c = compareValues(av, String(bv)) ?? 0;
    if (c !== 0) return descending ? -c : c;
  }
  return 0;
}
