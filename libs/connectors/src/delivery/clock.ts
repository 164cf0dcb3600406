/**
 * Time as the delivery pieces see it. Rate limiting and the breaker's cool-down are all about
 * waiting, so tests inject a clock whose `sleep` moves virtual time instead of waiting for real.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
