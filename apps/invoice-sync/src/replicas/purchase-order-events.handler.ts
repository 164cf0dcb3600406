import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  eventVersion,
  type GoodsReceiptRecorded,
  type PurchaseOrderChanged,
  type PurchaseOrderClosed,
  type PurchaseOrderIssued,
} from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { InvoiceValidationRunner } from '../invoices/invoice-validation-runner';
import { invoiceStore } from '../invoices/invoice-store';
import { purchaseOrderReplica } from './purchase-order-replica';

/**
 * Keeps the purchase order replica (orders, lines, received quantities). A goods receipt re-matches
 * the order's invoices that wait for it, in the receipt's transaction: the receipt and the invoice
 * decisions it causes commit together.
 */
@Controller()
export class PurchaseOrderEventsHandler {
  constructor(private readonly validation: InvoiceValidationRunner) {}

  @EventPattern('PurchaseOrderIssued')
  async onIssued(@Payload() e: PurchaseOrderIssued, @Ctx() ctx: HandlerContext): Promise<void> {
    await purchaseOrderReplica.apply(ctx.manager, {
      purchaseOrderId: e.purchaseOrderId,
      poNumber: e.poNumber,
      revision: e.revision,
      version: eventVersion(e.envelope.occurredAt, ctx.eventId),
      supplierId: e.supplierId,
      currency: e.currency,
      legalEntity: e.envelope.legalEntity,
      lines: e.lines,
    });
  }

  @EventPattern('PurchaseOrderChanged')
  async onChanged(@Payload() e: PurchaseOrderChanged, @Ctx() ctx: HandlerContext): Promise<void> {
    const applied = await purchaseOrderReplica.apply(ctx.manager, {
      purchaseOrderId: e.purchaseOrderId,
      poNumber: e.poNumber,
      revision: e.revision,
      version: eventVersion(e.envelope.occurredAt, ctx.eventId),
      legalEntity: e.envelope.legalEntity,
      lines: e.lines,
    });
    // A revised order (more quantity ordered, a line added) may be what a parked invoice waits
    // for. Invoices in EXCEPTION are a clerk's and are not re-decided behind their back.
    if (applied) await this.revalidate(e.purchaseOrderId, ctx);
  }

  @EventPattern('PurchaseOrderClosed')
  async onClosed(@Payload() e: PurchaseOrderClosed, @Ctx() ctx: HandlerContext): Promise<void> {
    await purchaseOrderReplica.close(ctx.manager, e.purchaseOrderId, e.reason);
  }

  @EventPattern('GoodsReceiptRecorded')
  async onGoodsReceipt(@Payload() e: GoodsReceiptRecorded, @Ctx() ctx: HandlerContext): Promise<void> {
    const added = await purchaseOrderReplica.recordReceipt(ctx.manager, e.purchaseOrderId, e.receiptId, e.receivedAt, e.lines);
    if (added === 0) return; // a receipt seen before changes no quantity
    await this.revalidate(e.purchaseOrderId, ctx);
  }

  /** Re-matches the order's invoices waiting for a receipt, in the triggering event's transaction. */
  private async revalidate(purchaseOrderId: string, ctx: HandlerContext): Promise<void> {
    for (const invoiceId of await invoiceStore.idsByPurchaseOrderAndStatus(ctx.manager, purchaseOrderId, ['WAITING_FOR_RECEIPT'])) {
      await this.validation.run(ctx.manager, (events) => ctx.emit(events), invoiceId, ctx.eventId);
    }
  }
}
