import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth and no whitespace: the one canonical form finmesh
 * hashes content in (the audit chain, the platforms' record versions). PostgreSQL's jsonb
 * reorders keys and a writer's object literal order is arbitrary, so only a canonical form hashes
 * the same everywhere. Dates are their ISO-8601 text,
 * bytes their base64, bigints their digits (what a decoded Avro event holds).
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  writeCanonical(value, out);
  return out.join('');
}

/**
 * Appends the canonical form of `value` to `out`. One string list per call instead of a string per
 * node: every consumer hashes every record it applies, so this is on the hot path.
 */
function writeCanonical(value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'string') {
    out.push(JSON.stringify(value));
  } else if (typeof value === 'number') {
    out.push(Number.isFinite(value) ? String(value) : 'null');
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false');
  } else if (typeof value === 'bigint') {
    out.push(`"${value.toString()}"`);
  } else if (value instanceof Date) {
    out.push(`"${value.toISOString()}"`);
  } else if (Buffer.isBuffer(value)) {
    out.push(`"${value.toString('base64')}"`);
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      writeCanonical(value[i], out);
    }
    out.push(']');
  } else if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // Code-unit order, as the sort in every other implementation of this form compares keys.
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.push('{');
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(keys[i]), ':');
      writeCanonical(record[keys[i]!], out);
    }
    out.push('}');
  } else {
    out.push(JSON.stringify(value) ?? 'null');
  }
}

/** SHA-256 (hex) of the canonical form: the same content always hashes the same. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
