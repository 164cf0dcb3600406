/**
 * An HTTP rate limit as configured: `capacity` requests at once (the burst a platform may send
 * after a quiet spell), refilled at `ratePerSecond` (the sustained rate). The buckets themselves
 * are the connectors' TokenBucket, the one token bucket of finmesh.
 */
export interface BucketLimit {
  /** Tokens added per second: the sustained request rate. */
  readonly ratePerSecond: number;
  /** Most tokens the bucket holds: the largest burst. */
  readonly capacity: number;
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
