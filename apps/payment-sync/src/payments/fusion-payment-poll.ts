import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { readFusionPayment } from '@finmesh/adapters';
import { fusionPoll, type FusionItem, type PolledRecord } from '@finmesh/connectors';
import { AuditTrail, LOGGER, MessagingRuntime, ServicePolling } from '@finmesh/service-kit';
import { PaymentSyncMetrics } from '../metrics/payment-sync-metrics';
import type { PaymentSyncSettings } from '../settings/payment-sync-settings';
import { PAYMENT_SYNC_SETTINGS } from '../settings/tokens';
import { processPayment } from './payment-processor';

/**
 * Polls Fusion's payablesPayments by LastUpdateDate (with their relatedInvoices) and applies each
 * changed payment exactly as a pushed one (processPayment): Negotiable -> released, Cleared ->
 * confirmed, Voided -> voided, unknown invoices -> parked. A payment the processor refuses
 * (stop-initiated, overpayment, several legal entities) or cannot read is rejected in the poll
 * ledger with its reasons, and the poll goes on.
 */
@Injectable()
export class FusionPaymentPoll implements OnApplicationBootstrap {
  constructor(
    @Inject(PAYMENT_SYNC_SETTINGS) private readonly settings: PaymentSyncSettings,
    private readonly polling: ServicePolling,
    private readonly messaging: MessagingRuntime,
    private readonly audit: AuditTrail,
    private readonly metrics: PaymentSyncMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const fusion = this.settings.fusion;
    if (!fusion) {
      this.logger.info('payments are not polled (FINMESH_ERP_AUTH not set): POST /v1/erp/payments only');
      return;
    }
    this.polling.poll(fusion, this.settings.erpPoll, (ctx) => [
      fusionPoll(ctx, { resource: 'payablesPayments', keyAttribute: 'CheckId', expand: 'relatedInvoices', handler: (record, tx) => this.apply(record, tx) }),
    ]);
  }

  async apply(record: PolledRecord<FusionItem>, tx: EntityManager): Promise<void> {
    const payment = readFusionPayment(record.data);
    const outcome = await processPayment(
      {
        query: (sql, params) => tx.query(sql, params as unknown[]),
        emit: (events) => this.messaging.outbox.enqueue(tx, events),
        audit: (entry) => this.audit.record(tx, entry),
      },
      payment,
      { payload: record.data, deliveredBy: 'fusion-payments-poll' },
    );
    if (outcome.kind === 'RECORDED') this.metrics.paymentConfirmed(outcome.confirmationDelaySeconds);
    this.logger.info({ erpPaymentId: payment.erpPaymentId, erpStatus: payment.erpStatus, outcome: outcome.kind }, 'ERP payment polled');
  }
}
