import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { newEnvelope, type InvoiceReceived } from '@finmesh/contracts';
import { AuditTrail, CurrentCaller, DatabaseConnection, Idempotent, MessagingRuntime, Roles, type Caller } from '@finmesh/service-kit';
import { mapCapturedInvoice } from '@finmesh/adapters';
import { capturedInvoiceContext } from './captured-invoice-context';
import { invoiceReceivedEntry } from './invoice-audit';
import { invoiceStore } from './invoice-store';
import type { InvoiceLifecycleStatus } from './invoice-status';

export interface InvoiceAccepted {
  readonly invoiceId: string;
  readonly status: InvoiceLifecycleStatus;
}

/**
 * Ingress of the AP automation platform: a captured invoice is mapped to the canonical
 * InvoiceReceived, stored RECEIVED and published in one transaction; validation and matching then
 * happen in the InvoiceReceived consumer (the same one that handles invoices produced straight to
 * the topic), so the answer is 202 with the id to poll. A payload that cannot be mapped is refused
 * with 422 listing every bad field, before anything is written.
 */
@Controller('v1/ap/invoices')
export class ApInvoicesController {
  constructor(
    private readonly database: DatabaseConnection,
    @Inject(MessagingRuntime) private readonly messaging: MessagingRuntime,
    private readonly audit: AuditTrail,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('ap-platform')
  @Idempotent()
  async receive(@Body() body: unknown, @CurrentCaller() caller: Caller): Promise<InvoiceAccepted> {
    return this.database.dataSource.transaction(async (tx) => {
      const mapped = mapCapturedInvoice(body, await capturedInvoiceContext(tx, body));
      const invoice: InvoiceReceived = {
        envelope: newEnvelope('InvoiceReceived', { sourcePlatform: 'AP_AUTOMATION', legalEntity: mapped.legalEntity, occurredAt: mapped.occurredAt }),
        ...mapped.payload,
      };
      if (await invoiceStore.insertReceived(tx, invoice)) {
        await this.messaging.outbox.enqueue(tx, [{ event: 'InvoiceReceived', key: invoice.invoiceId, value: invoice }]);
        await this.audit.record(tx, invoiceReceivedEntry(invoice, invoice.envelope.eventId, caller.clientId));
        return { invoiceId: invoice.invoiceId, status: 'RECEIVED' };
      }
      // The same capture document again (another Idempotency-Key): it is one invoice, answered as is.
      const existing = await invoiceStore.find(tx, invoice.invoiceId);
      return { invoiceId: invoice.invoiceId, status: existing?.status ?? 'RECEIVED' };
    });
  }
}
