import { Controller, Inject, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { InvoiceCancelled } from '@finmesh/contracts';
import { BusinessRuleViolation, type HandlerContext } from '@finmesh/messaging';
import { AuditTrail, LOGGER } from '@finmesh/service-kit';
import { invoiceTransition } from '../invoices/invoice-audit';
import { invoiceStore } from '../invoices/invoice-store';
import { supplierReplica } from '../replicas/supplier-replica';
import { erpCancellations } from './erp-cancellation-store';
import { ErpInvoiceClient } from './erp-invoice-client';

/**
 * Cancels in the ERP, once, an invoice voided in AP after it was posted: the consumer of
 * InvoiceCancelled with origin AP_PLATFORM and an erpDocumentId (ApInvoiceIntake publishes it
 * together with the status CANCELLED). Other cancellations are not ours to carry out: origin ERP
 * happened there already (ErpReadback), and one without erpDocumentId never reached the ERP.
 *
 * Fusion's `invoices/action/cancelInvoice` is called with the invoice number, business unit and
 * supplier the invoice was posted with. Once:
 *  - a row in erp_cancellations (CANCELLED) is written in the handler's transaction with the
 *    inbox record; a replay of the event (new delivery, DLT replay) finds it and calls nothing;
 *  - if the commit fails after the ERP cancelled, the redelivery calls again, which is harmless:
 *    a second cancel of a cancelled invoice changes nothing (answered as cancelled);
 *  - no answer (5xx, 429, timeout, network) throws TransientFailure: retried with backoff, then
 *    dead-lettered for replay; 401/403 PlatformAuthError (dead-lettered without retry);
 *  - a refusal (e.g. the invoice has payments in the ERP) is recorded REFUSED with the ERP's code
 *    and message, audited and logged as an error; the invoice stays CANCELLED in finmesh and the
 *    ERP document must be dealt with there (a replay after that tries again).
 */
@Injectable()
export class ErpCancellationService {
  constructor(
    private readonly client: ErpInvoiceClient,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onCancelled(e: InvoiceCancelled, ctx: HandlerContext): Promise<void> {
    if (e.origin !== 'AP_PLATFORM' || e.erpDocumentId === null) return;
    const db = ctx.manager;
    const stored = await invoiceStore.find(db, e.invoiceId, true);
    if (!stored) throw new BusinessRuleViolation(`InvoiceCancelled for invoice ${e.invoiceId}, which invoice-sync never received`, 'INVOICE_UNKNOWN');
    const earlier = await erpCancellations.find(db, e.invoiceId);
    if (earlier?.outcome === 'CANCELLED') {
      this.logger.info({ invoiceId: e.invoiceId, erpDocumentId: earlier.erpDocumentId }, 'ERP cancellation already done; not calling the ERP again');
      return;
    }
    const supplier = await supplierReplica.find(db, stored.invoice.supplierId);
    const result = await this.client.cancelInvoice({
      invoiceNumber: stored.invoice.supplierInvoiceNumber,
      // As posted (ErpPostingService): business unit = legal entity name, supplier = its legal name.
      businessUnit: stored.legalEntity.name ?? stored.legalEntity.code,
      supplier: supplier?.legalName ?? supplier?.externalIds['ERP'] ?? stored.invoice.supplierId,
    });
    if (result.kind === 'cancelled') {
      await erpCancellations.record(db, {
        invoiceId: e.invoiceId,
        erpDocumentId: e.erpDocumentId,
        outcome: 'CANCELLED',
        httpStatus: result.httpStatus,
        erpCode: null,
        erpMessage: result.message,
        causedBy: ctx.eventId,
      });
      await this.audit.record(db, invoiceTransition(stored, 'invoice.erp_cancelled', { status: stored.status, erpDocumentId: e.erpDocumentId, alreadyCancelled: result.alreadyCancelled }, ctx.eventId));
      this.logger.info({ invoiceId: e.invoiceId, erpDocumentId: e.erpDocumentId, alreadyCancelled: result.alreadyCancelled }, 'invoice voided in AP cancelled in the ERP');
      return;
    }
    const { failure } = result;
    await erpCancellations.record(db, {
      invoiceId: e.invoiceId,
      erpDocumentId: e.erpDocumentId,
      outcome: 'REFUSED',
      httpStatus: result.httpStatus,
      erpCode: failure.erpCode ?? failure.reasonCode,
      erpMessage: failure.erpMessage,
      causedBy: ctx.eventId,
    });
    await this.audit.record(
      db,
      invoiceTransition(stored, 'invoice.erp_cancel_refused', { status: stored.status, erpDocumentId: e.erpDocumentId, erpCode: failure.erpCode, erpMessage: failure.erpMessage }, ctx.eventId),
    );
    this.logger.error({ invoiceId: e.invoiceId, erpDocumentId: e.erpDocumentId, erpCode: failure.erpCode, erpMessage: failure.erpMessage }, 'the ERP refused to cancel an invoice voided in AP');
  }
}

/** InvoiceCancelled consumer (the invoice topic, which invoice-sync consumes anyway). */
@Controller()
export class InvoiceCancelledHandler {
  constructor(private readonly cancellation: ErpCancellationService) {}

  @EventPattern('InvoiceCancelled')
  async onInvoiceCancelled(@Payload() e: InvoiceCancelled, @Ctx() ctx: HandlerContext): Promise<void> {
    await this.cancellation.onCancelled(e, ctx);
  }
}
