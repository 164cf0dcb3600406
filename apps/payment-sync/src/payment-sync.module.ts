import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ErpDeliveryKeyMiddleware } from './http/erp-delivery-key.middleware';
import { ErpPaymentsController } from './http/erp-payments.controller';
import { PaymentQueriesController } from './http/payment-queries.controller';
import { InvoiceEventsHandler } from './invoices/invoice-events.handler';
import { PaymentSyncMetrics } from './metrics/payment-sync-metrics';

@Module({ controllers: [ErpPaymentsController, PaymentQueriesController, InvoiceEventsHandler], providers: [PaymentSyncMetrics] })
export class PaymentSyncModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ErpDeliveryKeyMiddleware).forRoutes({ path: 'v1/erp/payments', method: RequestMethod.POST });
  }
}
