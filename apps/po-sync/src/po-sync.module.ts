import { Module, type Provider, type Type } from '@nestjs/common';
import { legalEntityDirectory } from '@finmesh/adapters';
import { coupaMappingContext } from './adapters/coupa-binding';
import { PO_MAPPING_CONTEXT } from './adapters/tokens';
import { ErpPurchasingClient } from './erp-sync/erp-purchasing-client';
import { ErpSyncHandler } from './erp-sync/erp-sync.handler';
import { ErpSyncService } from './erp-sync/erp-sync.service';
import { PurchaseOrdersController } from './http/purchase-orders.controller';
import { InvoiceEventsHandler } from './invoicing/invoice-events.handler';
import { ProcurementIngressHandler } from './ingress/procurement-ingress.handler';
import { CoupaPollers } from './polling/coupa-pollers';
import { CoupaRecordHandlers } from './polling/coupa-record-handlers';
import { PurchaseOrderService } from './purchase-orders/purchase-order-service';
import { ReceiptService } from './receipts/receipt-service';
import { SupplierEventsHandler } from './suppliers/supplier-events.handler';
import type { PoSyncSettings } from './settings/po-sync-settings';
import { PO_SYNC_SETTINGS } from './settings/tokens';

/**
 * po-sync's domain module, built from settings validated before Nest starts. The Coupa pollers
 * run when Coupa polling is on; the ERP sync (its consumer of po-sync's own PO events) is only
 * registered when the ERP sync is on, so a push-only po-sync does not subscribe to its own topic.
 */
export function createPoSyncModule(settings: PoSyncSettings): Type<unknown> {
  const controllers: Type<unknown>[] = [PurchaseOrdersController, InvoiceEventsHandler, SupplierEventsHandler, ProcurementIngressHandler];
  const providers: Provider[] = [
    { provide: PO_SYNC_SETTINGS, useValue: settings },
    { provide: PO_MAPPING_CONTEXT, useFactory: () => coupaMappingContext(legalEntityDirectory()) },
    PurchaseOrderService,
    ReceiptService,
  ];
  if (settings.coupa) providers.push(CoupaRecordHandlers, CoupaPollers);
  if (settings.erp) {
    controllers.push(ErpSyncHandler);
    providers.push(ErpPurchasingClient, ErpSyncService);
  }

  @Module({ controllers, providers })
  class PoSyncModule {}
  return PoSyncModule;
}
