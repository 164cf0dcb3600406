import { Controller, Inject, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Logger } from 'pino';
import type { InvoiceCancelled } from '@finmesh/contracts';
import { BusinessRuleViolation, type HandlerContext } from '@finmesh/messaging';
import { AuditTrail, LOGGER } from '@finmesh/service-kit';
import { invoiceTransition } from '../invoices/invoice-audit';
import { InvoiceValidationRunner } from '../invoices/invoice-validation-runner';
import { invoiceStore, type StoredInvoice } from '../invoices/invoice-store';
import { supplierReplica } from '../replicas/supplier-replica';
import { erpCancellations } from './erp-cancellation-store';
import { ErpInvoiceClient } from './erp-invoice-client';

/**
 * Cancels in the ERP, once, an invoice voided in AP after it was posted, or superseded by a
 * correction after posting: the consumer of InvoiceCancelled with origin AP_PLATFORM or FINMESH
 * and an erpDocumentId (ApInvoiceIntake publishes it together with the status CANCELLED). Other
 * cancellations are not ours to carry out: origin ERP happened there already (ErpReadback), and
 * one without erpDocumentId never reached the ERP.
 *
 * Origin FINMESH (a correction after posting, invoices/invoice-correction.ts): once the ERP's
 * cancel is recorded CANCELLED, the replacement (WAITING_FOR_ERP_CANCEL) is released in the same
 * transaction: RECEIVED and validated at once (InvoiceValidationRunner, as a re-validation), so
 * it is matched, approved and posted like any invoice. A refusal leaves the replacement waiting
 * (its view shows the refusal under `correction.supersededCancellation`), so the corrected
 * invoice is never posted while the old document is live in the ERP. A replay after the cause
 * was dealt with in the ERP tries the cancel again and then releases it.
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
    private readonly validation: InvoiceValidationRunner,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onCancelled(e: InvoiceCancelled, ctx: HandlerContext): Promise<void> {
    if ((e.origin !== 'AP_PLATFORM' && e.origin !== 'FINMESH') || e.erpDocumentId === null) return;
    const db = ctx.manager;
    const stored = await invoiceStore.find(db, e.invoiceId, true);
    if (!stored) throw new BusinessRuleViolation(`InvoiceCancelled for invoice ${e.invoiceId}, which invoice-sync never received`, 'INVOICE_UNKNOWN');
    const earlier = await erpCancellations.find(db, e.invoiceId);
    if (earlier?.outcome === 'CANCELLED') {
      this.logger.info({ invoiceId: e.invoiceId, erpDocumentId: earlier.erpDocumentId }, 'ERP cancellation already done; not calling the ERP again');
      // Released in the transaction that recorded it; a no-op unless something left it waiting.
      if (e.origin === 'FINMESH') await this.releaseReplacement(stored, ctx);
      return;
    }
    const supplier = await supplierReplica.find(db, stored.invoice.supplierId);
    const result = await this.client.cancelInvoice({
      // As posted: a replacement carries its suffixed number (invoice-correction.ts).
      invoiceNumber: stored.erpInvoiceNumber,
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
      this.logger.info({ invoiceId: e.invoiceId, erpDocumentId: e.erpDocumentId, origin: e.origin, alreadyCancelled: result.alreadyCancelled }, 'invoice cancelled in the ERP');
      if (e.origin === 'FINMESH') await this.releaseReplacement(stored, ctx);
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
    if (e.origin === 'FINMESH') {
      const replacement = await invoiceStore.replacementOf(db, e.invoiceId);
      if (replacement) {
        await this.audit.record(
          db,
          invoiceTransition(replacement, 'invoice.erp_cancel_of_superseded_refused', { status: replacement.status, supersedes: e.invoiceId, erpCode: failure.erpCode, erpMessage: failure.erpMessage }, ctx.eventId),
        );
      }
      this.logger.error(
        { invoiceId: e.invoiceId, replacementId: replacement?.invoiceId, erpDocumentId: e.erpDocumentId, erpCode: failure.erpCode, erpMessage: failure.erpMessage },
        'the ERP refused to cancel an invoice superseded by a correction; its replacement stays WAITING_FOR_ERP_CANCEL',
      );
      return;
    }
    this.logger.error({ invoiceId: e.invoiceId, erpDocumentId: e.erpDocumentId, erpCode: failure.erpCode, erpMessage: failure.erpMessage }, 'the ERP refused to cancel an invoice voided in AP');
  }

  /** The replacement of `superseded`, if it waits for this cancellation: RECEIVED and validated now. */
  private async releaseReplacement(superseded: StoredInvoice, ctx: HandlerContext): Promise<void> {
    const db = ctx.manager;
    const found = await invoiceStore.replacementOf(db, superseded.invoiceId);
    if (!found || found.status !== 'WAITING_FOR_ERP_CANCEL') return;
    // The supplier's decision lock before the row lock, in the order InvoiceValidationRunner takes them.
    await invoiceStore.lockSupplierDecisions(db, found.invoice.supplierId);
    const replacement = await invoiceStore.replacementOf(db, superseded.invoiceId, true);
    if (!replacement || replacement.status !== 'WAITING_FOR_ERP_CANCEL') return;
    await invoiceStore.setStatus(db, replacement.invoiceId, 'RECEIVED');
    await this.audit.record(db, invoiceTransition(replacement, 'invoice.released', { status: 'RECEIVED', supersedes: superseded.invoiceId, supersededErpDocumentId: superseded.erpDocumentId }, ctx.eventId));
    const status = await this.validation.run(db, (events) => ctx.emit(events), replacement.invoiceId, ctx.eventId);
    this.logger.info({ invoiceId: replacement.invoiceId, supersedes: superseded.invoiceId, status }, 'superseded invoice cancelled in the ERP; its replacement released into validation');
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
