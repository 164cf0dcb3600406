import { Module } from '@nestjs/common';
import { ErpPaymentsController } from './http/erp-payments.controller';
import { PaymentQueriesController } from './http/payment-queries.controller';
import { InvoiceEventsHandler } from './invoices/invoice-events.handler';

@Module({ controllers: [ErpPaymentsController, PaymentQueriesController, InvoiceEventsHandler] })
export class PaymentSyncModule {}
