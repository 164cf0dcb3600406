/** How a consumer retries transient failures before dead-lettering a record. */
export interface RetryPolicy {
  /** Total attempts including the first (default 5). */
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** 0..1: fraction of each delay randomised, so many consumers do not retry in lockstep. */
  readonly jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 30_000, jitter: 0.2 };

/** Exponential backoff with jitter for the attempt that just failed (1-based). */
export function backoffDelayMs(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, failedAttempt - 1));
  const spread = exponential * policy.jitter;
  return Math.max(0, Math.round(exponential - spread + random() * 2 * spread));
}

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) problems.push('maxAttempts must be a whole number ≥ 1');
  if (!(policy.initialBackoffMs >= 0)) problems.push('initialBackoffMs must be ≥ 0');
  if (!(policy.maxBackoffMs >= policy.initialBackoffMs)) problems.push('maxBackoffMs must be ≥ initialBackoffMs');
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) problems.push('jitter must be between 0 and 1');
  if (problems.length > 0) throw new Error(`invalid retry policy: ${problems.join('; ')}`);
  return policy;
}
