import { Module, RequestMethod, type MiddlewareConsumer, type NestModule, type Type } from '@nestjs/common';
import { ErpDeliveryKeyMiddleware } from './http/erp-delivery-key.middleware';
import { ErpPaymentsController } from './http/erp-payments.controller';
import { PaymentQueriesController } from './http/payment-queries.controller';
import { InvoiceEventsHandler } from './invoices/invoice-events.handler';
import { PaymentSyncMetrics } from './metrics/payment-sync-metrics';
import { FusionPaymentPoll } from './payments/fusion-payment-poll';
import type { PaymentSyncSettings } from './settings/payment-sync-settings';
import { PAYMENT_SYNC_SETTINGS } from './settings/tokens';

/** payment-sync's domain module, built from settings validated before Nest starts. */
export function createPaymentSyncModule(settings: PaymentSyncSettings): Type<unknown> {
  @Module({
    controllers: [ErpPaymentsController, PaymentQueriesController, InvoiceEventsHandler],
    providers: [{ provide: PAYMENT_SYNC_SETTINGS, useValue: settings }, PaymentSyncMetrics, FusionPaymentPoll],
  })
  class PaymentSyncModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(ErpDeliveryKeyMiddleware).forRoutes({ path: 'v1/erp/payments', method: RequestMethod.POST });
    }
  }
  return PaymentSyncModule;
}
