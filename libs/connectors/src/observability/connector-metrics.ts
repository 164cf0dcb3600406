import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ConnectorObserver, PollerState } from './connector-observer';

const STATES: readonly PollerState[] = ['standby', 'polling', 'backing_off', 'stopped_auth', 'stopped'];

/**
 * prom-client metrics of the connectors. Alert on `finmesh_platform_auth_failures_total`
 * increasing, or `finmesh_poller_state{state="stopped_auth"} == 1`: a refused credential stops
 * its poller and will not heal by itself.
 */
export function connectorMetrics(registry: Registry): ConnectorObserver {
  const calls = new Counter({
    name: 'finmesh_platform_calls_total',
    help: 'Calls to a platform API by outcome',
    labelNames: ['platform', 'operation', 'outcome'],
    registers: [registry],
  });
  const callSeconds = new Histogram({
    name: 'finmesh_platform_call_seconds',
    help: 'Duration of platform API calls',
    labelNames: ['platform', 'operation'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const authFailures = new Counter({
    name: 'finmesh_platform_auth_failures_total',
    help: 'Platform answers of 401/403 or refused token requests (credentials to fix; not retried)',
    labelNames: ['platform', 'operation'],
    registers: [registry],
  });
  const polled = new Counter({
    name: 'finmesh_poll_records_total',
    help: 'Records read by pollers, by outcome (processed = new, seen = already processed, rejected)',
    labelNames: ['platform', 'resource', 'outcome'],
    registers: [registry],
  });
  const cycles = new Counter({
    name: 'finmesh_poll_cycles_total',
    help: 'Completed poll cycles',
    labelNames: ['platform', 'resource'],
    registers: [registry],
  });
  const lag = new Histogram({
    name: 'finmesh_poll_lag_seconds',
    help: 'Change at the platform (its update timestamp) until committed by finmesh',
    labelNames: ['platform', 'resource'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const state = new Gauge({
    name: 'finmesh_poller_state',
    help: 'Current poller state (1 for the active state)',
    labelNames: ['platform', 'resource', 'state'],
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'finmesh_platform_tokens_fetched_total',
    help: 'OAuth tokens fetched',
    labelNames: ['platform'],
    registers: [registry],
  });
  return {
    platformCall: (o) => {
      calls.inc({ platform: o.platform, operation: o.operation, outcome: o.outcome });
      callSeconds.observe({ platform: o.platform, operation: o.operation }, o.seconds);
      if (o.outcome === 'auth_refused') authFailures.inc({ platform: o.platform, operation: o.operation });
    },
    pollFinished: (o) => {
      cycles.inc({ platform: o.platform, resource: o.resource });
      polled.inc({ platform: o.platform, resource: o.resource, outcome: 'processed' }, o.processed);
      polled.inc({ platform: o.platform, resource: o.resource, outcome: 'rejected' }, o.rejected);
      polled.inc({ platform: o.platform, resource: o.resource, outcome: 'seen' }, Math.max(0, o.fetched - o.processed - o.rejected));
    },
    recordLag: (o) => lag.observe({ platform: o.platform, resource: o.resource }, Math.max(0, o.seconds)),
    pollerState: (platform, resource, current) => {
      for (const s of STATES) state.set({ platform, resource, state: s }, s === current ? 1 : 0);
    },
    tokenFetched: (platform) => tokens.inc({ platform }),
  };
}
