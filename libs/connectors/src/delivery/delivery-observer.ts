import type { BreakerState } from './circuit-breaker';

/**
 * How one event's delivery ended, as metrics count it:
 * - delivered: the platform answered 2xx;
 * - already_delivered: the ledger had it (a redelivered or replayed event), no call made;
 * - transient_failure: 5xx, timeout, 429 or an unexpected error; the consumer retries it;
 * - permanent_failure: the platform refused it (4xx, credentials); it is dead-lettered;
 * - circuit_open: refused without a call while the platform's breaker is open; retried.
 */
export type DeliveryOutcome = 'delivered' | 'already_delivered' | 'transient_failure' | 'permanent_failure' | 'circuit_open';

export interface DeliveryObservation {
  readonly platform: string;
  readonly flow: string;
  readonly outcome: DeliveryOutcome;
  /** Duration of the platform call(s); 0 when none was made. */
  readonly seconds: number;
}

/** Labels stay low-cardinality: platform, flow and outcome, never a key or an id. */
export interface DeliveryObserver {
  delivery?(observation: DeliveryObservation): void;
  rateLimiterWait?(observation: { readonly platform: string; readonly flow: string; readonly seconds: number }): void;
  breakerState?(platform: string, state: BreakerState): void;
  /** The breaker changed state (closed -> open -> half_open -> closed or open): counted, so a short outage still shows. */
  breakerTransition?(platform: string, to: BreakerState): void;
  /** From the event's occurredAt (the source's change time for platform-sourced events) to the platform's 2xx. */
  propagation?(observation: { readonly platform: string; readonly flow: string; readonly seconds: number }): void;
}
