import { createHash } from 'node:crypto';
import type { AuditRowContent } from './audit-entry';

/**
 * JSON with object keys sorted at every depth, no whitespace. PostgreSQL's jsonb reorders keys
 * and the writer's object literal order is arbitrary, so only a canonical form hashes the same
 * on insert and on verification.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
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

/** sha256 (hex) over the previous row's hash and this row's canonical content: the chain link. */
export function auditRowHash(content: AuditRowContent): string {
  return createHash('sha256')
    .update(content.prevHash ?? '')
    .update('\n')
    .update(canonicalJson(content))
    .digest('hex');
}

/** The timestamp form rows are stored, hashed and read back in: UTC, millisecond precision. */
export function auditTimestamp(date: Date): string {
  return new Date(Math.floor(date.getTime())).toISOString();
}
