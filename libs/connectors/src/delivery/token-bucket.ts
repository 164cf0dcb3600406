import { type Clock, systemClock } from './clock';

export interface TokenBucketOptions {
  /** Names the platform in errors and metrics. */
  readonly platform: string;
  /** Most calls that may go out in a burst. */
  readonly capacity: number;
  /** Tokens added per second: the sustained call rate allowed to the platform. */
  readonly refillPerSecond: number;
  readonly clock?: Clock;
}

/**
 * The call budget of one platform, shared by every sink that calls it: `take()` resolves when a
 * call may go out. Waiters are served one after the other in arrival order, so a busy flow
 * cannot starve another one of the same platform.
 *
 * `penalise(retryAfterMs)` is for a 429: the platform has told us its own budget is spent, so
 * nobody takes a token until Retry-After has passed, and then calls resume at the refill rate
 * (the bucket restarts empty) rather than as a burst that would earn the next 429.
 */
export class TokenBucket {
  private readonly clock: Clock;
  private tokens: number;
  private refilledAt: number;
  private blockedUntil = 0;
  /** The tail of the waiters' queue: each take() runs after the previous one got its token. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.capacity >= 1)) throw new Error(`token bucket of ${options.platform}: capacity must be ≥ 1`);
    if (!(options.refillPerSecond > 0)) throw new Error(`token bucket of ${options.platform}: refillPerSecond must be > 0`);
    this.clock = options.clock ?? systemClock;
    this.tokens = options.capacity;
    this.refilledAt = this.clock.now();
  }

  get platform(): string {
    return this.options.platform;
  }

  /** Waits for a token; resolves with the milliseconds spent waiting (for the wait metric). */
  take(): Promise<number> {
    const startedAt = this.clock.now();
    const turn = this.queue.then(() => this.acquire()).then(() => this.clock.now() - startedAt);
    // A failing sleep must not break the queue for the waiters behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** The platform answered 429: stop handing out tokens for `retryAfterMs` (or `fallbackMs`). */
  penalise(retryAfterMs: number | undefined, fallbackMs = 1000): void {
    const until = this.clock.now() + Math.max(0, retryAfterMs ?? fallbackMs);
    if (until > this.blockedUntil) this.blockedUntil = until;
    this.tokens = 0;
    this.refilledAt = Math.max(this.refilledAt, this.blockedUntil);
  }

  /**
   * Takes a token now if there is one, without waiting: for callers that refuse work rather than
   * queue it (service-kit's HTTP rate limits). Undefined when a token was taken, else the
   * milliseconds until one is there. Not for a bucket that take() waiters share: it would serve
   * ahead of them.
   */
  tryTake(): number | undefined {
    const now = this.clock.now();
    if (now < this.blockedUntil) return this.blockedUntil - now;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.ceil(((1 - this.tokens) / this.options.refillPerSecond) * 1000);
  }

  /** Tokens available now (for tests and diagnostics). */
  available(): number {
    this.refill(this.clock.now());
    return this.tokens;
  }

  private async acquire(): Promise<void> {
    for (let wait = this.tryTake(); wait !== undefined; wait = this.tryTake()) await this.clock.sleep(wait);
  }

  private refill(now: number): void {
    // Time spent blocked by a 429 earns nothing: refilledAt was moved to its end.
    if (now <= this.refilledAt) return;
    this.tokens = Math.min(this.options.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.options.refillPerSecond);
    this.refilledAt = now;
  }
}
