import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { eventVersion, type SupplierBlocked, type SupplierUnblocked, type SupplierUpserted } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { InvoiceValidationRunner } from '../invoices/invoice-validation-runner';
import { invoiceStore } from '../invoices/invoice-store';
import { supplierReplica, supplierStanding } from './supplier-replica';

/**
 * Keeps the supplier replica and releases invoices held for their supplier: once a supplier is
 * known and not blocked, its ON_HOLD invoices are validated again in the same transaction.
 */
@Controller()
export class SupplierEventsHandler {
  constructor(private readonly validation: InvoiceValidationRunner) {}

  @EventPattern('SupplierUpserted')
  async onUpserted(@Payload() e: SupplierUpserted, @Ctx() ctx: HandlerContext): Promise<void> {
    const applied = await supplierReplica.upsert(ctx.manager, {
      supplierId: e.supplierId,
      revision: e.revision,
      version: eventVersion(e.envelope.occurredAt, ctx.eventId),
      legalName: e.legalName,
      status: e.status,
      externalIds: e.externalIds,
      sites: e.sites,
    });
    // Invoices that arrived before their supplier's master data are held until it does.
    if (applied) await this.releaseHeldInvoices(e.supplierId, ctx);
  }

  @EventPattern('SupplierBlocked')
  async onBlocked(@Payload() e: SupplierBlocked, @Ctx() ctx: HandlerContext): Promise<void> {
    await supplierReplica.block(ctx.manager, e.supplierId, e.scope, e.reason ?? e.reasonCode);
  }

  @EventPattern('SupplierUnblocked')
  async onUnblocked(@Payload() e: SupplierUnblocked, @Ctx() ctx: HandlerContext): Promise<void> {
    await supplierReplica.unblock(ctx.manager, e.supplierId, e.scope);
    await this.releaseHeldInvoices(e.supplierId, ctx);
  }

  private async releaseHeldInvoices(supplierId: string, ctx: HandlerContext): Promise<void> {
    const standing = supplierStanding(await supplierReplica.find(ctx.manager, supplierId));
    if (standing === 'BLOCKED' || standing === 'UNKNOWN') return;
    for (const invoiceId of await invoiceStore.idsBySupplierAndStatus(ctx.manager, supplierId, ['ON_HOLD'])) {
      await this.validation.run(ctx.manager, (events) => ctx.emit(events), invoiceId, ctx.eventId);
    }
  }
}
