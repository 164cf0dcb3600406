import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorDetail, FusionHttpError } from './fusion-errors';

/** Plain JSON object as parsed from a request body. */
export type JsonObject = { [key: string]: unknown };

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads and parses a JSON object body. Oversized bodies are refused with 413 as soon as the limit
 * is crossed (the rest is drained, not buffered); empty, malformed or non-object bodies give 400.
 */
export async function readJsonObject(req: IncomingMessage, limitBytes: number): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) {
    throw new FusionHttpError(413, [
      errorDetail(`The request body is ${size} bytes; the limit is ${limitBytes} bytes.`, 'BODY_TOO_LARGE'),
    ]);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    throw new FusionHttpError(400, [errorDetail('The request body is empty; a JSON object is expected.', 'BODY_EMPTY')]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FusionHttpError(400, [
      errorDetail(`The request body is not valid JSON: ${(err as Error).message}`, 'BODY_MALFORMED_JSON'),
    ]);
  }
  if (!isJsonObject(parsed)) {
    throw new FusionHttpError(400, [errorDetail('The request body must be a JSON object.', 'BODY_NOT_OBJECT')]);
  }
  return parsed;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/**
 * Parses a Fusion `q` filter restricted to what a client needs here: `Attr=value` terms joined by
 * `;` (AND). Values may be quoted ('INV-1' or "INV-1"). Richer operators (>, LIKE, or) are refused
 * rather than silently ignored, so a test never believes a filter applied when it did not.
 */
export function parseQueryFilter(q: string | null): Array<[string, string]> {
  if (q === null || q.trim() === '') return [];
  return q.split(';').map((term) => {
    const eq = term.indexOf('=');
    const attr = eq > 0 ? term.slice(0, eq).trim() : '';
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(attr)) {
      throw new FusionHttpError(400, [
        errorDetail(`Unsupported q expression "${term}"; use Attribute=value terms joined by ";".`, 'INVALID_QUERY', 'q'),
      ]);
    }
    let value = term.slice(eq + 1).trim();
    const quoted = /^'(.*)'$/.exec(value) ?? /^"(.*)"$/.exec(value);
    if (quoted) value = quoted[1] ?? '';
    return [attr, value];
  });
}

/** Applies a parsed `q` filter to flat records by comparing each attribute's string form. */
export function matchesFilter(record: Readonly<Record<string, unknown>>, filter: Array<[string, string]>): boolean {
  return filter.every(([attr, value]) => {
    const actual = record[attr];
    return actual !== undefined && actual !== null && String(actual) === value;
  });
}

/** Fusion collection envelope (`items`, `count`, `hasMore`, `limit`, `offset`, `links`). */
export interface FusionCollection<T> {
  readonly items: readonly T[];
  readonly count: number;
  readonly hasMore: boolean;
  readonly limit: number;
  readonly offset: number;
  readonly links: ReadonlyArray<{ rel: string; href: string; name: string; kind: string }>;
}

export function collection<T>(all: readonly T[], url: URL, resourceName: string): FusionCollection<T> {
  const limit = positiveInt(url.searchParams.get('limit'), 25, 'limit');
  const offset = positiveInt(url.searchParams.get('offset'), 0, 'offset');
  const items = all.slice(offset, offset + limit);
  return {
    items,
    count: items.length,
    hasMore: offset + items.length < all.length,
    limit,
    offset,
    links: [{ rel: 'self', href: url.toString(), name: resourceName, kind: 'collection' }],
  };
}

function positiveInt(raw: string | null, fallback: number, name: string): number {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new FusionHttpError(400, [errorDetail(`${name} must be a non-negative integer.`, 'INVALID_QUERY', name)]);
  }
  return n;
}
