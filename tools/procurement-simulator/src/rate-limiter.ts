/**
 * Coupa's query rate limit, a token bucket per OAuth client: "Coupa limits the number of requests
 * made to the API to 25 requests per second and a burst query limit of 20 calls"
 * (compass.coupa.com, The Coupa Core API > Get Started with the API > "Exception Handling and
 * Error Codes"). Coupa answers rate-limited calls with 429; the `Retry-After` header (whole
 * seconds until a token is back) is the simulator's, Coupa's exact header is unconfirmed.
 */
import type { Clock } from './clock';

export interface RateLimit {
  /** Tokens added per second. Default 25. */
  readonly requestsPerSecond: number;
  /** Bucket size: calls allowed at once. Default 20. */
  readonly burst: number;
}

export const COUPA_RATE_LIMIT: RateLimit = { requestsPerSecond: 25, burst: 20 };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private limit: RateLimit | false,
    private readonly clock: Clock,
  ) {}

  get settings(): RateLimit | false {
    return this.limit;
  }

  configure(limit: RateLimit | false): void {
    this.limit = limit;
    this.buckets.clear();
  }

  /** Takes a token for `key`; undefined when allowed, else the seconds to wait (Retry-After). */
  take(key: string): number | undefined {
    if (this.limit === false) return undefined;
    const { requestsPerSecond, burst } = this.limit;
    const now = this.clock.millis();
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedMs: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * requestsPerSecond);
    bucket.updatedMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / requestsPerSecond));
  }
}
