import { sensitiveDataPolicy } from '@finmesh/contracts';

/**
 * Audit summaries must never carry bank details or tax ids: the audit table is append-only, so a
 * leaked IBAN could never be erased again. The keys are the one sensitive-data policy's
 * (@finmesh/contracts), the same the log redaction drops; a key that holds such data
 * (bankAccounts, taxIds) is masked whole.
 */
export const AUDIT_MASK = '[MASKED]';

export function isSensitiveAuditKey(key: string): boolean {
  return sensitiveDataPolicy().isSensitiveKey(key);
}

/**
 * Returns a JSON-safe copy of `value` with every sensitive key's value masked, at any depth.
 * Dates become ISO strings and undefined members disappear, exactly as JSON would store them,
 * so the summary that is hashed is the summary that is stored.
 */
export function maskAuditSummary(value: unknown): unknown {
  return maskValue(value, new WeakSet());
}

function maskValue(value: unknown, seen: WeakSet<object>): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? null : value;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return AUDIT_MASK;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => maskValue(v, seen));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      out[k] = isSensitiveAuditKey(k) ? AUDIT_MASK : maskValue(v, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
