import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and no whitespace: the one canonical form finmesh
 * hashes content in (the inbox's content hash per event id, the audit chain, the platforms'
 * record versions). PostgreSQL's jsonb reorders keys and a writer's object literal order is
 * arbitrary, so only a canonical form hashes the same everywhere. Dates are their ISO-8601 text,
 * bytes their base64, bigints their digits (what a decoded Avro event holds).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('base64'));
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value);
}

/** SHA-256 (hex) of the canonical form: the same content always hashes the same. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
