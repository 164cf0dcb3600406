import { Injectable } from '@nestjs/common';
import { CachedSource, DatabaseConnection, REPORTING_METRICS, ServiceMetrics } from '@finmesh/service-kit';
import { projectionObservations } from '../projection/projection-observation-store';

/**
 * Reporting freshness per domain for Prometheus: now minus the occurredAt of the newest event
 * projected into each domain, read from the freshness read model at scrape time (cached briefly).
 */
@Injectable()
export class ReportingMetrics {
  constructor(metrics: ServiceMetrics, database: DatabaseConnection) {
    const newest = new CachedSource(
      () => projectionObservations.freshnessByDomain(database.dataSource.manager),
      { ttlMs: 5000, timeoutMs: 2000 },
    );
    metrics.gaugeFromSamples(REPORTING_METRICS.freshness, async () => (await newest.get())?.map((r) => ({ labels: { domain: r.domain }, value: r.age })));
  }
}
