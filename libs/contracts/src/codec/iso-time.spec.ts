import { isoDay, isoTimestamp } from './iso-time';

describe('ISO-8601 text without toISOString', () => {
  it('matches toISOString for instants across days, years, leap days and before 1970', () => {
    const fixed = [
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2024-02-29T12:34:56.789Z',
      '2026-03-31T23:59:59.123Z',
      '1900-03-01T00:00:00.001Z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ].map((s) => Date.parse(s));
    // A deterministic spread over 1800..2300, millisecond precision.
    const spread = Array.from({ length: 5000 }, (_, i) => -5_364_662_400_000 + ((i * 3_155_692_597_471) % 15_778_463_999_999));
    for (const ms of [...fixed, ...spread]) {
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
      expect(isoTimestamp(new Date(ms))).toBe(new Date(ms).toISOString());
    }
  });

  it('leaves years outside 0..9999 and fractional milliseconds to Date, and fails like it on an invalid date', () => {
    for (const ms of [253_402_300_800_000, -62_167_219_200_001, 8.64e15, 1_700_000_000_000.5]) expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => isoTimestamp(Number.NaN)).toThrow(RangeError);
  });

  it('gives the calendar day of an epoch day number, cached or not', () => {
    expect(isoDay(0)).toBe('1970-01-01');
    expect(isoDay(-1)).toBe('1969-12-31');
    expect(isoDay(19_782)).toBe('2024-02-29');
    expect(isoDay(19_782)).toBe('2024-02-29');
    for (let d = -800_000; d < 2_900_000; d += 997) expect(isoDay(d)).toBe(new Date(d * 86_400_000).toISOString().slice(0, 10));
  });
});
