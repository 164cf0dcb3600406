/**
 * Scrape-time values that cost a round trip (Kafka admin offsets, SQL counts), read at most once
 * per `ttlMs` however often Prometheus (or several of them) scrapes, and never for longer than
 * `timeoutMs`: a broker or database that hangs must not hang the /metrics endpoint.
 *
 * A failed or timed-out read gives `undefined` (the gauge then has no series: an absent value is
 * honest, a stale one is not) and is retried on the next scrape.
 */
export class CachedSource<T> {
  private value: { readonly at: number; readonly data: T | undefined } | undefined;
  private inFlight: Promise<T | undefined> | undefined;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly options: { readonly ttlMs: number; readonly timeoutMs: number; readonly now?: () => number; readonly onError?: (err: unknown) => void },
  ) {}

  async get(): Promise<T | undefined> {
    const now = this.options.now ?? Date.now;
    if (this.value && now() - this.value.at < this.options.ttlMs) return this.value.data;
    this.inFlight ??= withTimeout(this.read(), this.options.timeoutMs)
      .catch((err: unknown) => {
        this.options.onError?.(err);
        return undefined;
      })
      .then((data) => {
        this.value = data === undefined ? undefined : { at: now(), data };
        this.inFlight = undefined;
        return data;
      });
    return this.inFlight;
  }
}

export class SourceTimeoutError extends Error {
  constructor(ms: number) {
    super(`metrics source did not answer within ${ms} ms`);
    this.name = 'SourceTimeoutError';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SourceTimeoutError(ms)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
