import { Injectable } from '@nestjs/common';
import type { Histogram } from 'prom-client';
import { defineMetric, ServiceMetrics } from '@finmesh/service-kit';

/** payment-sync's business KPIs (the technical messaging metrics come from service-kit). */
export const PAYMENT_SYNC_METRICS = {
  confirmationDelay: defineMetric({
    name: 'finmesh_payment_confirmation_delay_seconds',
    help: 'From a payment recorded as released to its confirmation (Cleared) being recorded; payments first seen already cleared are not observed.',
    labelNames: [],
    // Bank clearing takes hours to days.
    buckets: [60, 600, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 2 * 24 * 3600, 3 * 24 * 3600, 5 * 24 * 3600, 10 * 24 * 3600],
  }),
} as const;

@Injectable()
export class PaymentSyncMetrics {
  private readonly confirmationDelay: Histogram;

  constructor(metrics: ServiceMetrics) {
    this.confirmationDelay = metrics.histogram(PAYMENT_SYNC_METRICS.confirmationDelay);
  }

  /** A delivery confirmed a payment released earlier (`seconds` from the processing outcome). */
  paymentConfirmed(seconds: number | undefined): void {
    if (seconds !== undefined) this.confirmationDelay.observe(seconds);
  }
}
