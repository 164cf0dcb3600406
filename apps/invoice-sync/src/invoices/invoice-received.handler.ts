import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { InvoiceReceived } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { AuditTrail } from '@finmesh/service-kit';
import { invoiceReceivedEntry } from './invoice-audit';
import { InvoiceValidationRunner } from './invoice-validation-runner';
import { invoiceStore } from './invoice-store';

/**
 * The one place invoices are validated and matched, whichever way they entered: through
 * POST /v1/ap/invoices (stored there, then published via the outbox) or produced straight to the
 * invoice topic by an AP platform (stored here). Either way the decision is taken in this
 * handler's transaction, together with the inbox record.
 */
@Controller()
export class InvoiceReceivedHandler {
  constructor(
    private readonly validation: InvoiceValidationRunner,
    private readonly audit: AuditTrail,
  ) {}

  @EventPattern('InvoiceReceived')
  async onInvoiceReceived(@Payload() invoice: InvoiceReceived, @Ctx() ctx: HandlerContext): Promise<void> {
    // Stored here only when produced straight to the topic; the HTTP ingress audited its own insert.
    if (await invoiceStore.insertReceived(ctx.manager, invoice)) await this.audit.record(ctx.manager, invoiceReceivedEntry(invoice, ctx.eventId));
    await this.validation.run(ctx.manager, (events) => ctx.emit(events), invoice.invoiceId, ctx.eventId);
  }
}
