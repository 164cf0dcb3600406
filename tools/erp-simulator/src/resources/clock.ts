/** LastUpdateDate / CreationDate values: ISO 8601 UTC with milliseconds, e.g. 2025-03-28T16:02:44.120Z. */
export function timestamp(at: Date = new Date()): string {
  return at.toISOString();
}

/** Today's date (UTC) as YYYY-MM-DD. */
export function today(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** A LastUpdateDate override from an admin call, normalised to UTC with ms; undefined when not valid. */
export function parseTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string' || !ISO_TIMESTAMP.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
