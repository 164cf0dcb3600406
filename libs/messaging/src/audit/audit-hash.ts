import { createHash } from 'node:crypto';
import { canonicalJson } from '../content/canonical-content';
import type { AuditRowContent } from './audit-entry';

export { canonicalJson };

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
