/**
 * Every call the simulator answered, newest last, bounded (the oldest are dropped past the
 * limit). Secrets are never recorded: no Authorization header, no token, no form body; the token
 * endpoint records the client id only.
 */
export interface RecordedCall {
  readonly seq: number;
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Route template, e.g. `GET /api/purchase_orders/:id`; null for an unknown path. */
  readonly route: string | null;
  readonly clientId: string | null;
  readonly status: number;
  readonly durationMs: number;
  /** The fault applied, if any (`http-5xx`, `timeout`, `slow`, `rate-limit`), or `rate-limited` for the bucket. */
  readonly fault: string | null;
  /** The request's `Idempotency-Key` header, if any: recorded, never used to de-duplicate. */
  readonly idempotencyKey: string | null;
}

export const DEFAULT_CALL_LOG_LIMIT = 2_000;

export class CallLog {
  private calls: RecordedCall[] = [];
  private seq = 0;

  constructor(private readonly limit: number = DEFAULT_CALL_LOG_LIMIT) {}

  record(call: Omit<RecordedCall, 'seq'>): void {
    this.seq += 1;
    this.calls.push({ seq: this.seq, ...call });
    if (this.calls.length > this.limit) this.calls.splice(0, this.calls.length - this.limit);
  }

  list(filter: { method?: string | null; path?: string | null; route?: string | null; since?: number } = {}): RecordedCall[] {
    return this.calls.filter(
      (c) =>
        (!filter.method || c.method === filter.method.toUpperCase()) &&
        (!filter.path || c.path === filter.path) &&
        (!filter.route || c.route === filter.route) &&
        (filter.since === undefined || c.seq > filter.since),
    );
  }

  clear(): void {
    this.calls = [];
  }
}
