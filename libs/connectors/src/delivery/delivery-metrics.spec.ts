import { Registry } from 'prom-client';
import { deliveryMetrics } from './delivery-metrics';

describe('deliveryMetrics', () => {
  it('counts deliveries by outcome, times calls, records the wait and one breaker state at a time', async () => {
    const registry = new Registry();
    const observer = deliveryMetrics(registry);
    observer.delivery?.({ platform: 'coupa', flow: 'supplier-status', outcome: 'delivered', seconds: 0.2 });
    observer.delivery?.({ platform: 'coupa', flow: 'supplier-status', outcome: 'circuit_open', seconds: 0 });
    observer.rateLimiterWait?.({ platform: 'coupa', flow: 'supplier-status', seconds: 1.5 });
    observer.breakerState?.('coupa', 'open');
    observer.breakerState?.('coupa', 'half_open');
    const text = await registry.metrics();
    expect(text).toContain('finmesh_deliveries_total{platform="coupa",flow="supplier-status",outcome="delivered"} 1');
    expect(text).toContain('finmesh_deliveries_total{platform="coupa",flow="supplier-status",outcome="circuit_open"} 1');
    // A refusal without a call is not a latency sample.
    expect(text).toContain('finmesh_delivery_seconds_count{platform="coupa",flow="supplier-status"} 1');
    expect(text).toContain('finmesh_delivery_rate_limit_wait_seconds_sum{platform="coupa",flow="supplier-status"} 1.5');
    expect(text).toContain('finmesh_delivery_breaker_state{platform="coupa",state="open"} 0');
    expect(text).toContain('finmesh_delivery_breaker_state{platform="coupa",state="half_open"} 1');
  });
});
