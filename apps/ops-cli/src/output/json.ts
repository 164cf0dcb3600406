/**
 * JSON for `--json`: Dates as ISO-8601, bigints as strings (offsets are int64), Buffers as
 * base64 objects. Two-space indent so humans can read it too; scripts do not care.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, replacer, 2);
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  // JSON.stringify calls toJSON before the replacer; read the original from the holder.
  const original = (this as Record<string, unknown>)[key];
  if (typeof original === 'bigint') return original.toString();
  if (Buffer.isBuffer(original)) return { base64: original.toString('base64') };
  if (original instanceof Date) return Number.isNaN(original.getTime()) ? null : original.toISOString();
  return value;
}
