import { Module } from '@nestjs/common';
import { coupaMappingContext } from './adapters/coupa-binding';
import { PO_MAPPING_CONTEXT } from './adapters/tokens';
import { PurchaseOrdersController } from './http/purchase-orders.controller';
import { InvoiceEventsHandler } from './invoicing/invoice-events.handler';
import { PurchaseOrderService } from './purchase-orders/purchase-order-service';
import { ReceiptService } from './receipts/receipt-service';
import { legalEntityDirectory } from '@finmesh/adapters';

@Module({
  controllers: [PurchaseOrdersController, InvoiceEventsHandler],
  providers: [PurchaseOrderService, ReceiptService, { provide: PO_MAPPING_CONTEXT, useFactory: () => coupaMappingContext(legalEntityDirectory()) }],
})
export class PoSyncModule {}
