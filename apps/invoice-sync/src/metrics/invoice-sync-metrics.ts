import { Injectable } from '@nestjs/common';
import type { Counter, Histogram } from 'prom-client';
import { CachedSource, DatabaseConnection, defineMetric, ServiceMetrics } from '@finmesh/service-kit';
import { invoiceStore } from '../invoices/invoice-store';

/** invoice-sync's business KPIs (the technical messaging metrics come from service-kit). */
export const INVOICE_SYNC_METRICS = {
  postings: defineMetric({
    name: 'finmesh_invoice_postings_total',
    help: 'ERP posting attempts by outcome: posted, business_failure (rejected or not postable), transient_failure (retried).',
    labelNames: ['outcome'],
  }),
  syncLatency: defineMetric({
    name: 'finmesh_invoice_sync_latency_seconds',
    help: 'From the InvoiceReceived occurredAt to the ERP posting being recorded.',
    labelNames: [],
    // Straight-through invoices post in seconds; exceptions wait for people (hours, days).
    buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600],
  }),
  openExceptions: defineMetric({
    name: 'finmesh_invoice_open_exceptions',
    help: 'Open invoice exceptions by reason code (an exception with several reasons counts under each).',
    labelNames: ['reason'],
  }),
  openExceptionAge: defineMetric({
    name: 'finmesh_invoice_open_exception_age_seconds',
    help: 'Age of the oldest open invoice exception, by reason code.',
    labelNames: ['reason'],
  }),
} as const;

export type PostingOutcome = 'posted' | 'business_failure' | 'transient_failure';

/**
 * Records the posting KPIs as the posting service decides them, and reads open exceptions from
 * the invoice_exceptions table at scrape time (cached 5 s; the facts live in the database).
 */
@Injectable()
export class InvoiceSyncMetrics {
  private readonly postings: Counter<'outcome'>;
  private readonly syncLatency: Histogram;

  constructor(metrics: ServiceMetrics, database: DatabaseConnection) {
    this.postings = metrics.counter(INVOICE_SYNC_METRICS.postings);
    this.syncLatency = metrics.histogram(INVOICE_SYNC_METRICS.syncLatency);
    const open = new CachedSource(
      async () => {
        if (!database.dataSource.isInitialized) throw new Error('database not connected yet');
        return invoiceStore.openExceptionsByReason(database.dataSource.manager);
      },
      { ttlMs: 5000, timeoutMs: 2000 },
    );
    metrics.gaugeFromSamples(INVOICE_SYNC_METRICS.openExceptions, async () => (await open.get())?.map((r) => ({ labels: { reason: r.reason }, value: r.open })));
    metrics.gaugeFromSamples(INVOICE_SYNC_METRICS.openExceptionAge, async () => (await open.get())?.map((r) => ({ labels: { reason: r.reason }, value: r.oldest })));
  }

  postingFinished(outcome: PostingOutcome): void {
    this.postings.inc({ outcome });
  }

  /** An invoice is recorded as posted: its received → posted latency. */
  invoicePosted(receivedOccurredAt: Date, postedAt: Date = new Date()): void {
    this.syncLatency.observe(Math.max(0, (postedAt.getTime() - receivedOccurredAt.getTime()) / 1000));
  }
}
