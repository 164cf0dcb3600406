import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { SupplierBlocked, SupplierUnblocked } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { supplierBlocks } from './supplier-block-store';

/**
 * Supplier holds from supplier-sync. po-sync does not refuse a PO or receipt of a blocked supplier
 * (the procurement platform already holds it, and refusing would only lose it): it accepts it and
 * flags it, so ops and reporting see documents raised against a supplier on hold.
 */
@Controller()
export class SupplierEventsHandler {
  @EventPattern('SupplierBlocked')
  async onBlocked(@Payload() e: SupplierBlocked, @Ctx() ctx: HandlerContext): Promise<void> {
    await supplierBlocks.block(
      ctx.manager,
      { supplierId: e.supplierId, scope: e.scope, reasonCode: e.reasonCode, reason: e.reason, blockedBy: e.blockedBy, blockedAt: e.envelope.occurredAt },
      ctx.eventId,
    );
  }

  @EventPattern('SupplierUnblocked')
  async onUnblocked(@Payload() e: SupplierUnblocked, @Ctx() ctx: HandlerContext): Promise<void> {
    await supplierBlocks.unblock(ctx.manager, e.supplierId, e.scope);
  }
}
