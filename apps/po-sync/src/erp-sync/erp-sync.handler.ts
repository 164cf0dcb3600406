import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { GoodsReceiptRecorded, PurchaseOrderIssued } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { ErpSyncService } from './erp-sync.service';

/** po-sync's own PurchaseOrderIssued and GoodsReceiptRecorded: each PO and receipt is created in the ERP once. */
@Controller()
export class ErpSyncHandler {
  constructor(private readonly sync: ErpSyncService) {}

  @EventPattern('PurchaseOrderIssued')
  async onPurchaseOrderIssued(@Payload() e: PurchaseOrderIssued, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.sync.syncOrder(e, ctx);
  }

  @EventPattern('GoodsReceiptRecorded')
  async onGoodsReceiptRecorded(@Payload() e: GoodsReceiptRecorded, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.sync.syncReceipt(e, ctx);
  }
}
