/**
 * Time in the simulator: injectable (tests move it), and printed the way Coupa prints its
 * datetimes, `YYYY-MM-DDTHH:MM:SS+HH:MM` (compass.coupa.com, "Querying Options": "a strict subset
 * of the ISO 8601 format"), in UTC here, to the second by default: two changes within one second
 * share an `updated-at`, as they can on a real instance (a poller's `updated-at[gt]` watermark must
 * cope). `precision: 'millis'` adds milliseconds.
 */
export type TimestampPrecision = 'seconds' | 'millis';

export class Clock {
  private lastStamp = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly precision: TimestampPrecision = 'seconds',
  ) {}

  millis(): number {
    return this.now();
  }

  /** The current time as Coupa prints it. */
  stamp(): string {
    return formatCoupaTime(this.millis(), this.precision);
  }

  /** A stamp never earlier than the previous one handed out (a record's updated-at only moves forward). */
  monotonicStamp(): string {
    const ms = Math.max(this.millis(), this.lastStamp);
    this.lastStamp = ms;
    return formatCoupaTime(ms, this.precision);
  }
}

export function formatCoupaTime(ms: number, precision: TimestampPrecision = 'seconds'): string {
  const iso = new Date(ms).toISOString();
  return precision === 'millis' ? iso.replace('Z', '+00:00') : `${iso.slice(0, 19)}+00:00`;
}
