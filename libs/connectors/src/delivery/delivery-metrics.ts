import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BreakerState } from './circuit-breaker';
import type { DeliveryObserver } from './delivery-observer';

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half_open'];

/**
 * prom-client metrics of the sinks. Alert on `finmesh_delivery_breaker_state{state="open"} == 1`
 * lasting longer than an outage you tolerate, and on `outcome="permanent_failure"` increasing
 * (those events are in the dead-letter topic).
 */
export function deliveryMetrics(registry: Registry): DeliveryObserver {
  const deliveries = new Counter({
    name: 'finmesh_deliveries_total',
    help: 'Outbound deliveries to a platform by outcome',
    labelNames: ['platform', 'flow', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'finmesh_delivery_seconds',
    help: 'Duration of the platform call(s) of one delivery',
    labelNames: ['platform', 'flow'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const wait = new Histogram({
    name: 'finmesh_delivery_rate_limit_wait_seconds',
    help: "Time a delivery waited for the platform's rate limiter",
    labelNames: ['platform', 'flow'],
    buckets: [0, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60],
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'finmesh_delivery_breaker_state',
    help: "Circuit breaker state of a platform (1 for the current state)",
    labelNames: ['platform', 'state'],
    registers: [registry],
  });
  const transitions = new Counter({
    name: 'finmesh_delivery_breaker_transitions_total',
    help: 'Circuit breaker state changes of a platform, by the state entered',
    labelNames: ['platform', 'to'],
    registers: [registry],
  });
  const propagation = new Histogram({
    name: 'finmesh_delivery_propagation_seconds',
    help: "From the canonical event's occurredAt (its source's change time for platform-sourced events) to the platform's 2xx",
    labelNames: ['platform', 'flow'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const showState = (platform: string, current: BreakerState): void => {
    for (const s of BREAKER_STATES) breaker.set({ platform, state: s }, s === current ? 1 : 0);
  };
  return {
    delivery: (o) => {
      deliveries.inc({ platform: o.platform, flow: o.flow, outcome: o.outcome });
      if (o.seconds > 0) latency.observe({ platform: o.platform, flow: o.flow }, o.seconds);
    },
    rateLimiterWait: (o) => wait.observe({ platform: o.platform, flow: o.flow }, o.seconds),
    propagation: (o) => propagation.observe({ platform: o.platform, flow: o.flow }, o.seconds),
    breakerState: showState,
    breakerTransition: (platform, to) => {
      transitions.inc({ platform, to });
      showState(platform, to);
    },
  };
}
