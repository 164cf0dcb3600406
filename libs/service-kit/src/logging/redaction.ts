import { sensitiveDataPolicy } from '@finmesh/contracts';

/**
 * Bank details and tax identifiers must never reach a log line, whatever object they are nested in.
 * pino's built-in `redact` needs exact paths; finance payloads nest these fields at any depth
 * (supplier.bankAccounts[0].iban, invoice.supplier.taxIds[1].value), so we mask by key name instead.
 * Which keys is the one sensitive-data policy's (@finmesh/contracts): the contracts' marked fields,
 * the platforms' names (RemitToAccountNumber, SWIFTCode, ...) and the holders of either
 * (bankAccounts, taxIds), whose whole value is dropped.
 */
export const REDACTED = '[REDACTED]';

export function isSensitiveKey(key: string): boolean {
  return sensitiveDataPolicy().isSensitiveKey(key);
}

/** Returns a copy of `value` with every sensitive key's value replaced; cycles are cut. */
export function redactSensitive(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redactSensitive(v, seen));
  if (value instanceof Error) {
    return { type: value.name, message: value.message, stack: value.stack };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSensitiveKey(k) ? REDACTED : redactSensitive(v, seen);
  }
  return out;
}
