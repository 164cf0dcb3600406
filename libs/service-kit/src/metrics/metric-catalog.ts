import { defineMetric, type MetricDefinition } from './service-metrics';

/**
 * Reporting freshness, registered by the reporting projector (its own `*-metrics.ts`, through
 * `ServiceMetrics.gaugeFromSamples`): seconds between now and the occurredAt of the newest event
 * projected, per reporting domain. Defined here so the dashboard check knows the name.
 */
export const REPORTING_METRICS = {
  freshness: defineMetric({
    name: 'finmesh_reporting_freshness_seconds',
    help: 'Seconds since the occurredAt of the newest event projected into each reporting domain.',
    labelNames: ['domain'],
  }),
} as const;

/** The names of a group of definitions (e.g. MESSAGING_METRICS). */
export function metricNames(definitions: Readonly<Record<string, MetricDefinition>>): string[] {
  return Object.values(definitions).map((d) => d.name);
}

/**
 * The metric a series of the exposition belongs to: histograms expose `<name>_bucket`, `_sum`
 * and `_count`. `known` decides, since a counter's own name may end in `_count` too.
 */
export function metricOfSeries(series: string, known: ReadonlySet<string>): string | undefined {
  if (known.has(series)) return series;
  const base = series.replace(/_(bucket|sum|count)$/, '');
  return known.has(base) ? base : undefined;
}
