import { Module, type Type } from '@nestjs/common';
import { ApInvoiceIntake } from './invoices/ap-invoice-intake';
import { ApInvoicesController } from './invoices/ap-invoices.controller';
import { InvoiceQueryController } from './invoices/invoice-query.controller';
import { ApInvoiceIngressHandler } from './invoices/ap-invoice-ingress.handler';
import { InvoiceResolutionController } from './invoices/invoice-resolution.controller';
import { InvoiceValidationRunner } from './invoices/invoice-validation-runner';
import { ErpReadback } from './erp-readback/erp-readback';
import { ErpReadbackPollers } from './erp-readback/erp-readback-pollers';
import { InvoiceSyncMetrics } from './metrics/invoice-sync-metrics';
import { PaymentEventsHandler } from './payments/payment-events.handler';
import { ErpCancellationService, InvoiceCancelledHandler } from './posting/erp-cancellation.service';
import { ErpInvoiceClient } from './posting/erp-invoice-client';
import { ErpPostingService } from './posting/erp-posting.service';
import { ErpPostingWriteBack } from './posting/erp-posting-write-back';
import { PurchaseOrderEventsHandler } from './replicas/purchase-order-events.handler';
import { SupplierEventsHandler } from './replicas/supplier-events.handler';
import type { InvoiceRules } from './settings/invoice-rules';
import type { InvoiceSyncSettings } from './settings/invoice-sync-settings';
import { INVOICE_RULES, INVOICE_SYNC_SETTINGS } from './settings/tokens';
import { ApInvoiceWriteBack } from './write-back/ap-invoice-write-back';

/**
 * invoice-sync's domain module, built from settings and rules that were validated before Nest
 * starts (so a bad setting stops the process with exit code 2, not a half-started app).
 */
export function createInvoiceSyncModule(settings: InvoiceSyncSettings, rules: InvoiceRules): Type<unknown> {
  @Module({
    controllers: [
      // HTTP
      ApInvoicesController,
      InvoiceResolutionController,
      InvoiceQueryController,
      // Consumers
      SupplierEventsHandler,
      PurchaseOrderEventsHandler,
      ApInvoiceIngressHandler,
      InvoiceCancelledHandler,
      PaymentEventsHandler,
    ],
    providers: [
      { provide: INVOICE_SYNC_SETTINGS, useValue: settings },
      { provide: INVOICE_RULES, useValue: rules },
      InvoiceValidationRunner,
      ErpInvoiceClient,
      ErpPostingService,
      ErpPostingWriteBack,
      ErpCancellationService,
      ApInvoiceIntake,
      InvoiceSyncMetrics,
      ErpReadback,
      ErpReadbackPollers,
      ApInvoiceWriteBack,
    ],
  })
  class InvoiceSyncModule {}
  return InvoiceSyncModule;
}
