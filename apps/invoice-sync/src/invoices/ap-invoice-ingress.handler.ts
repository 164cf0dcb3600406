import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { deterministicEventId, ingressPattern, type InvoiceReceived } from '@finmesh/contracts';
import type { HandlerContext } from '@finmesh/messaging';
import { AuditTrail } from '@finmesh/service-kit';
import { invoiceReceivedEntry } from './invoice-audit';
import { InvoiceValidationRunner } from './invoice-validation-runner';
import { invoiceStore } from './invoice-store';

/** Who the audit trail names for invoices taken from the AP ingress topic. */
export const AP_INGRESS_ACTOR = 'ap-ingress';

/**
 * The AP platform's ingress topic (`finmesh.ingress.ap.invoice.v1`): invoices an AP platform
 * produces to Kafka instead of calling POST /v1/ap/invoices. The record is already held to the
 * contract and the business rules (the consumer runtime dead-letters a breach). A new invoice is
 * stored, published as invoice-sync's own InvoiceReceived on the canonical topic (an id derived
 * from the ingress record's), and decided (validated and matched) in this handler's transaction,
 * as the HTTP intake decides in its own: invoice-sync never consumes its own InvoiceReceived.
 * An invoice id already known (captured through the API, or sent before) is not captured twice;
 * corrections go through the AP API, where the capture versions are compared.
 */
@Controller()
export class ApInvoiceIngressHandler {
  constructor(
    private readonly validation: InvoiceValidationRunner,
    private readonly audit: AuditTrail,
  ) {}

  @EventPattern(ingressPattern('ap', 'InvoiceReceived'))
  async onInvoiceReceived(@Payload() ingress: InvoiceReceived, @Ctx() ctx: HandlerContext): Promise<void> {
    const eventId = deterministicEventId('ap-ingress', ctx.eventId, 'InvoiceReceived');
    const invoice: InvoiceReceived = { ...ingress, envelope: { ...ingress.envelope, eventId, causationId: ctx.eventId } };
    if (await invoiceStore.insertReceived(ctx.manager, invoice)) {
      await ctx.emit([{ event: 'InvoiceReceived', key: invoice.invoiceId, value: invoice }]);
      await this.audit.record(ctx.manager, invoiceReceivedEntry(invoice, eventId, AP_INGRESS_ACTOR));
    }
    await this.validation.run(ctx.manager, (events) => ctx.emit(events), invoice.invoiceId, eventId);
  }
}
