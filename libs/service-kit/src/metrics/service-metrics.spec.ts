import { exposedValue, isExposed, parseExposition } from '@finmesh/testing';
import { metricOfSeries } from './metric-catalog';
import { defineMetric, ServiceMetrics } from './service-metrics';

const ORDERS = defineMetric({ name: 'finmesh_test_orders_total', help: 'test', labelNames: ['outcome'] });
const DEPTH = defineMetric({ name: 'finmesh_test_depth', help: 'test', labelNames: ['reason'] });

describe('ServiceMetrics', () => {
  it('keeps one registry per service, with the service label on every series', async () => {
    const a = new ServiceMetrics('invoice-sync', { defaultMetrics: false });
    const b = new ServiceMetrics('payment-sync', { defaultMetrics: false });
    a.counter(ORDERS).inc({ outcome: 'posted' }, 2);
    b.counter(ORDERS).inc({ outcome: 'posted' });

    const textA = (await a.exposition()).body;
    expect(exposedValue(textA, 'finmesh_test_orders_total', { service: 'invoice-sync', outcome: 'posted' })).toBe(2);
    expect(isExposed(textA, 'finmesh_test_orders_total', { service: 'payment-sync' })).toBe(false);
    expect(exposedValue((await b.exposition()).body, 'finmesh_test_orders_total', { service: 'payment-sync' })).toBe(1);
  });

  it('exposes the Prometheus text format 0.0.4 and the prefixed process metrics', async () => {
    const m = new ServiceMetrics('svc');
    const { contentType, body } = await m.exposition();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(isExposed(body, 'finmesh_process_cpu_user_seconds_total')).toBe(true);
    expect(m.registeredNames()).toContain('finmesh_nodejs_eventloop_lag_seconds');
  });

  it('shares one metric when a definition is registered twice', () => {
    const m = new ServiceMetrics('svc', { defaultMetrics: false });
    expect(m.counter(ORDERS)).toBe(m.counter(ORDERS));
  });

  it('computes sample gauges at scrape time, dropping series that disappeared, and none when the source is down', async () => {
    const m = new ServiceMetrics('svc', { defaultMetrics: false });
    let samples: { labels: Record<string, string>; value: number }[] | undefined = [
      { labels: { reason: 'PRICE_VARIANCE' }, value: 3 },
      { labels: { reason: 'NO_RECEIPT' }, value: 1 },
    ];
    m.gaugeFromSamples(DEPTH, async () => samples);
    expect(exposedValue((await m.exposition()).body, 'finmesh_test_depth', { reason: 'PRICE_VARIANCE' })).toBe(3);

    samples = [{ labels: { reason: 'NO_RECEIPT' }, value: 2 }];
    const second = parseExposition((await m.exposition()).body).filter((s) => s.name === 'finmesh_test_depth');
    expect(second.map((s) => [s.labels['reason'], s.value])).toEqual([['NO_RECEIPT', 2]]);

    samples = undefined;
    expect(isExposed((await m.exposition()).body, 'finmesh_test_depth')).toBe(false);
  });

  it('refuses names outside the finmesh_ namespace', () => {
    expect(() => defineMetric({ name: 'orders_total', help: 'x', labelNames: [] })).toThrow(/finmesh_/);
    expect(() => defineMetric({ name: 'finmesh_Orders', help: 'x', labelNames: [] })).toThrow(/finmesh_/);
  });

  it('maps histogram series to their metric', () => {
    const known = new Set(['finmesh_latency_seconds', 'finmesh_things_count']);
    expect(metricOfSeries('finmesh_latency_seconds_bucket', known)).toBe('finmesh_latency_seconds');
    expect(metricOfSeries('finmesh_things_count', known)).toBe('finmesh_things_count');
    expect(metricOfSeries('finmesh_other_sum', known)).toBeUndefined();
  });
});
