import type { Clock } from './clock';

/**
 * A clock for tests of time-driven code: `sleep` advances virtual time at once (and records how
 * long was asked for), `advance` moves time as if the caller had waited.
 */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += Math.max(0, ms);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
