import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { InvoiceApproved, InvoiceMatched, InvoiceReceived } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { LOGGER } from '@finmesh/service-kit';
import type { Logger } from 'pino';
import { InvoicedQuantityStore } from './invoiced-quantity-store';

/**
 * Invoiced quantity per PO line, from invoice-sync's events. Every handler writes through the
 * handler's transaction, which commits with the inbox record: a redelivered event is never applied twice.
 *
 * InvoiceApproved carries no line quantities (contract gap: it has neither purchaseOrderId nor
 * lines). For OVERRIDE approvals po-sync therefore keeps the PO line quantities of each captured
 * invoice from InvoiceReceived (same topic and key, so it always arrives first) and applies them
 * when the override comes. AUTO approvals follow an InvoiceMatched, which already counted.
 */
@Controller()
export class InvoiceEventsHandler {
  private readonly store = new InvoicedQuantityStore();

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  @EventPattern('InvoiceMatched')
  async onInvoiceMatched(@Payload() e: InvoiceMatched, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.store.apply(ctx.manager, {
      purchaseOrderId: e.purchaseOrderId,
      invoiceId: e.invoiceId,
      source: 'MATCHED',
      eventId: ctx.eventId,
      lines: e.lineResults.map((l) => ({ lineNumber: l.poLineNumber, quantity: l.invoicedQuantity })),
    });
  }

  @EventPattern('InvoiceReceived')
  async onInvoiceReceived(@Payload() e: InvoiceReceived, @Ctx() ctx: HandlerContext): Promise<void> {
    if (e.purchaseOrderId === null) return; // non-PO invoice: nothing to count against an order
    const lines = e.lines.flatMap((l) => (l.poLineNumber === null ? [] : [{ lineNumber: l.poLineNumber, quantity: l.quantity }]));
    await this.store.captureInvoiceLines(ctx.manager, { invoiceId: e.invoiceId, purchaseOrderId: e.purchaseOrderId, eventId: ctx.eventId, lines });
  }

  @EventPattern('InvoiceApproved')
  async onInvoiceApproved(@Payload() e: InvoiceApproved, @Ctx() ctx: HandlerContext): Promise<void> {
    if (e.mode !== 'OVERRIDE') return;
    // Matched after all (or counted by an earlier override): matching's figures stand.
    if (await this.store.hasContribution(ctx.manager, e.invoiceId)) return;
    const captured = await this.store.capturedInvoiceLines(ctx.manager, e.invoiceId);
    if (!captured) {
      this.logger.warn({ invoiceId: e.invoiceId }, 'OVERRIDE approval of an invoice without captured PO lines; invoiced quantities unchanged');
      return;
    }
    await this.store.apply(ctx.manager, { ...captured, invoiceId: e.invoiceId, source: 'OVERRIDE', eventId: ctx.eventId });
  }
}
