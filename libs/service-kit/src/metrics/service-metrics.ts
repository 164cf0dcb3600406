import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every finmesh metric name starts with this, so dashboards and alerts can tell them apart. */
export const METRIC_PREFIX = 'finmesh_';

/**
 * A metric as data: the same definitions register the metric and list the names a dashboard may
 * use (infra/docker-compose.spec.ts checks the Grafana dashboard against them).
 * Label names must have bounded values (topics, event types, outcomes, reason codes), never ids.
 */
export interface MetricDefinition<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  /** Histograms only: bucket upper bounds in the metric's unit. */
  readonly buckets?: readonly number[];
}

export function defineMetric<L extends string>(definition: MetricDefinition<L>): MetricDefinition<L> {
  if (!/^finmesh_[a-z0-9_]+$/.test(definition.name)) throw new Error(`metric name ${definition.name} must match finmesh_[a-z0-9_]+`);
  return definition;
}

export type SampleLabels = Readonly<Record<string, string | number>>;

export interface GaugeSample {
  readonly labels: SampleLabels;
  readonly value: number;
}

/**
 * The metrics of ONE service application: its own prom-client registry (never the global default
 * registry, since tests run several services in one process), with `service` on every series and
 * the process/runtime default metrics under the `finmesh_` prefix.
 *
 * Services register their own metrics through it (inject `ServiceMetrics`):
 *   metrics.counter(POSTINGS).inc({ outcome: 'posted' })
 *   metrics.gaugeFromSamples(OPEN_EXCEPTIONS, async () => [...])   // computed at scrape time
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  constructor(
    readonly serviceName: string,
    options: { readonly defaultMetrics?: boolean } = {},
  ) {
    this.registry.setDefaultLabels({ service: serviceName });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  counter<L extends string>(definition: MetricDefinition<L>): Counter<L> {
    return this.existing<Counter<L>>(definition) ?? new Counter({ ...this.base(definition), registers: [this.registry] });
  }

  histogram<L extends string>(definition: MetricDefinition<L>): Histogram<L> {
    return (
      this.existing<Histogram<L>>(definition) ??
      new Histogram({ ...this.base(definition), ...(definition.buckets ? { buckets: [...definition.buckets] } : {}), registers: [this.registry] })
    );
  }

  /** A gauge the caller sets. */
  gauge<L extends string>(definition: MetricDefinition<L>): Gauge<L> {
    return this.existing<Gauge<L>>(definition) ?? new Gauge({ ...this.base(definition), registers: [this.registry] });
  }

  /**
   * A gauge computed at scrape time: `samples()` returns the current series (replacing all earlier
   * ones, so a reason that disappeared stops being reported). Returning `undefined` (source not
   * reachable) leaves the gauge without series rather than reporting stale numbers.
   */
  gaugeFromSamples<L extends string>(definition: MetricDefinition<L>, samples: () => Promise<readonly GaugeSample[] | undefined>): Gauge<L> {
    if (this.existing(definition)) throw new Error(`metric ${definition.name} is already registered`);
    return new Gauge({
      ...this.base(definition),
      registers: [this.registry],
      async collect() {
        const current = await samples();
        this.reset();
        for (const s of current ?? []) this.set(s.labels as Partial<Record<L, string | number>>, s.value);
      },
    });
  }

  /** Names of every metric registered so far (default process metrics included). */
  registeredNames(): string[] {
    return this.registry.getMetricsAsArray().map((m) => m.name);
  }

  /** Prometheus text exposition format 0.0.4. */
  async exposition(): Promise<{ readonly contentType: string; readonly body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private base<L extends string>(d: MetricDefinition<L>): { name: string; help: string; labelNames: L[] } {
    return { name: d.name, help: d.help, labelNames: [...d.labelNames] };
  }

  /** The same definition registered twice (two modules asking for it) shares one metric. */
  private existing<M>(d: MetricDefinition): M | undefined {
    return this.registry.getSingleMetric(d.name) as M | undefined;
  }
}
