import { Module, type Type } from '@nestjs/common';
import { InvoiceReceivedHandler } from './invoices/invoice-received.handler';
import { InvoiceValidationRunner } from './invoices/invoice-validation-runner';
import { PurchaseOrderEventsHandler } from './replicas/purchase-order-events.handler';
import { SupplierEventsHandler } from './replicas/supplier-events.handler';
import type { InvoiceRules } from './settings/invoice-rules';
import type { InvoiceSyncSettings } from './settings/invoice-sync-settings';
import { INVOICE_RULES, INVOICE_SYNC_SETTINGS } from './settings/tokens';

/**
 * invoice-sync's domain module, built from settings and rules that were validated before Nest
 * starts (so a bad setting stops the process with exit code 2, not a half-started app).
 */
export function createInvoiceSyncModule(settings: InvoiceSyncSettings, rules: InvoiceRules): Type<unknown> {
  @Module({
    controllers: [InvoiceReceivedHandler, SupplierEventsHandler, PurchaseOrderEventsHandler],
    providers: [
      { provide: INVOICE_SYNC_SETTINGS, useValue: settings },
      { provide: INVOICE_RULES, useValue: rules },
      InvoiceValidationRunner,
    ],
  })
  class InvoiceSyncModule {}
  return InvoiceSyncModule;
}
