/**
 * A token bucket: `capacity` requests at once (the burst a platform may send after a quiet spell),
 * refilled at `ratePerSecond` (the sustained rate). Time is passed in, so the arithmetic is tested
 * without waiting.
 */
export interface BucketLimit {
  /** Tokens added per second: the sustained request rate. */
  readonly ratePerSecond: number;
  /** Most tokens the bucket holds: the largest burst. */
  readonly capacity: number;
}

export type TakeResult = { readonly allowed: true; readonly remaining: number } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(
    readonly limit: BucketLimit,
    nowMs: number,
  ) {
    this.tokens = limit.capacity;
    this.updatedAtMs = nowMs;
  }

  /** Takes one token if there is one; otherwise says how long until there is (whole seconds, at least 1). */
  take(nowMs: number): TakeResult {
    const elapsed = Math.max(0, nowMs - this.updatedAtMs) / 1000;
    this.tokens = Math.min(this.limit.capacity, this.tokens + elapsed * this.limit.ratePerSecond);
    this.updatedAtMs = nowMs;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { allowed: true, remaining: Math.floor(this.tokens) };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.limit.ratePerSecond)) };
  }
}

/** `20/s:40`, `600/min:100`: rate per second or minute, then the burst (capacity). */
const LIMIT_TEXT = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|min)\s*:\s*(\d+)\s*$/;

/** Parses a limit as configured (`<rate>/<s|min>:<burst>`); undefined when it is not one. */
export function parseBucketLimit(text: string): BucketLimit | undefined {
  const m = LIMIT_TEXT.exec(text);
  if (!m) return undefined;
  const rate = Number(m[1]) / (m[2] === 'min' ? 60 : 1);
  const capacity = Number(m[3]);
  if (!(rate > 0) || capacity < 1) return undefined;
  return { ratePerSecond: rate, capacity };
}
