import { type Clock, systemClock } from './clock';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerStateChange {
  readonly platform: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
}

export interface CircuitBreakerOptions {
  readonly platform: string;
  /** Consecutive transient failures that open the breaker. */
  readonly failureThreshold: number;
  /** How long the breaker stays open before it lets one probe through. */
  readonly coolDownMs: number;
  /** For metrics (a gauge per state) and logs. */
  readonly onStateChange?: (change: BreakerStateChange) => void;
  readonly clock?: Clock;
}

/** What {@link CircuitBreaker.tryPass} decided for one call. */
export type BreakerPass = { readonly allowed: true; readonly probe: boolean } | { readonly allowed: false; readonly retryInMs: number };

/**
 * The availability of one platform, shared by every sink that calls it.
 *
 * Closed: calls go out; `failureThreshold` consecutive transient failures open it. Open: calls
 * are refused without reaching the platform, so an outage costs no timeouts and adds no load
 * while it recovers. After `coolDownMs` it is half-open: exactly one call (the probe) goes out;
 * its success closes the breaker, its failure opens it for another cool-down.
 *
 * Only availability counts: a 4xx refusal is the platform answering, so it is a success here.
 * A probe whose caller never reports back (it crashed) is given up after a cool-down, so the
 * breaker cannot stay half-open with its one slot taken for ever.
 */
export class CircuitBreaker {
  private readonly clock: Clock;
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probeStartedAt: number | undefined;

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new Error(`circuit breaker of ${options.platform}: failureThreshold must be a whole number ≥ 1`);
    }
    if (!(options.coolDownMs > 0)) throw new Error(`circuit breaker of ${options.platform}: coolDownMs must be > 0`);
    this.clock = options.clock ?? systemClock;
  }

  get platform(): string {
    return this.options.platform;
  }

  /** The state now (an open breaker whose cool-down has passed reads as half-open). */
  get state(): BreakerState {
    if (this.current === 'open' && this.clock.now() - this.openedAt >= this.options.coolDownMs) this.transition('half_open');
    return this.current;
  }

  /** While open: milliseconds until the next probe may go out; otherwise undefined. */
  get openForMs(): number | undefined {
    return this.state === 'open' ? this.openedAt + this.options.coolDownMs - this.clock.now() : undefined;
  }

  /** Asks to make one call. A caller that was allowed must report `success()` or `failure()`. */
  tryPass(): BreakerPass {
    const now = this.clock.now();
    const state = this.state;
    if (state === 'closed') return { allowed: true, probe: false };
    if (state === 'open') return { allowed: false, retryInMs: this.openedAt + this.options.coolDownMs - now };
    if (this.probeStartedAt !== undefined && now - this.probeStartedAt < this.options.coolDownMs) {
      return { allowed: false, retryInMs: this.probeStartedAt + this.options.coolDownMs - now };
    }
    this.probeStartedAt = now;
    return { allowed: true, probe: true };
  }

  /** The platform answered (2xx, or a 4xx that is about our request, not its health). */
  success(): void {
    this.consecutiveFailures = 0;
    this.probeStartedAt = undefined;
    if (this.current !== 'closed') this.transition('closed');
  }

  /** The platform was not there (5xx, timeout, refused connection). */
  failure(): void {
    this.probeStartedAt = undefined;
    this.consecutiveFailures++;
    if (this.current === 'half_open' || (this.current === 'closed' && this.consecutiveFailures >= this.options.failureThreshold)) {
      this.openedAt = this.clock.now();
      this.transition('open');
    }
  }

  /**
   * The call ended in a way that says nothing about availability (a 429, which the rate limiter
   * answers, or a bug on our side): frees the probe slot without changing the state.
   */
  inconclusive(): void {
    this.probeStartedAt = undefined;
  }

  private transition(to: BreakerState): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.options.onStateChange?.({ platform: this.options.platform, from, to });
  }
}
