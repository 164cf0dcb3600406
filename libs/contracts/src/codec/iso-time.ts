/**
 * ISO-8601 text for instants and calendar days, exactly what `Date.prototype.toISOString` gives
 * ('2026-03-31T23:59:59.123Z', and its first ten characters for a day), made without it.
 *
 * Why: V8 formats `toISOString` through a printf-style routine, about 0.6 µs a call here. A
 * rebuild formats an instant for every event it reads (its `occurredAt`, and receipt and payment
 * times) and decodes every Avro `date` into text, a million or more of each. Days repeat (a
 * history spans a few thousand of them), so a day's text is made once and kept; the time of day
 * is put together from two-digit pieces. Measured: about 0.11 µs an instant.
 */

/** Milliseconds in a UTC day (no leap seconds in epoch time). */
export const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the years toISOString writes with four digits. */
const FIRST_FOUR_DIGIT_MS = -62_167_219_200_000;
const LAST_FOUR_DIGIT_MS = 253_402_300_799_999;
/** Days kept before the cache starts over; real histories use a few thousand. */
const MAX_CACHED_DAYS = 100_000;

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayTexts = new Map<number, string>();

/** 'YYYY-MM-DD' of the day `epochDay` days after 1970-01-01 (negative before it). */
export function isoDay(epochDay: number): string {
  let text = dayTexts.get(epochDay);
  if (text === undefined) {
    text = new Date(epochDay * DAY_MS).toISOString().slice(0, 10);
    if (dayTexts.size >= MAX_CACHED_DAYS) dayTexts.clear();
    dayTexts.set(epochDay, text);
  }
  return text;
}

/** `instant.toISOString()`, for a Date or epoch milliseconds; throws the same RangeError for an invalid one. */
export function isoTimestamp(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  // NaN fails both tests; years outside 0..9999 (written '+010000-…') are left to V8.
  if (!(ms >= FIRST_FOUR_DIGIT_MS && ms <= LAST_FOUR_DIGIT_MS && Number.isInteger(ms))) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS; // 0 .. DAY_MS-1, also before 1970
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${isoDay(day)}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
}
