import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { PlatformUnavailableError, type DeliveryAnswer, type DeliveryContext, type DeliveryHandled } from '@finmesh/connectors';
import { decimal, MONEY_SCALE, type InvoiceApproved, type InvoicePosted, type InvoicePostingFailed } from '@finmesh/contracts';
import { BusinessRuleViolation, type HandlerContext } from '@finmesh/messaging';
import { AuditTrail, DatabaseConnection, LOGGER } from '@finmesh/service-kit';
import { MappingError, toFusionInvoiceCreateBody, type ApprovedInvoice, type FusionInvoiceCreateBody } from '@finmesh/adapters';
import { invoiceTransition } from '../invoices/invoice-audit';
import { invoiceEnvelope } from '../invoices/invoice-events';
import { InvoiceSyncMetrics } from '../metrics/invoice-sync-metrics';
import { invoiceStore, type StoredInvoice } from '../invoices/invoice-store';
import { refreshPaymentStatus } from '../payments/payment-status';
import { purchaseOrderReplica } from '../replicas/purchase-order-replica';
import { supplierReplica, type SupplierState } from '../replicas/supplier-replica';
import { paySiteFor } from './supplier-pay-site';
import type { InvoiceSyncSettings } from '../settings/invoice-sync-settings';
import { INVOICE_SYNC_SETTINGS } from '../settings/tokens';
import { ErpInvoiceClient, type ErpInvoiceDocument, type PostedInvoiceFacts } from './erp-invoice-client';
import { postingAttempts } from './posting-attempts';

/** An approved invoice that passed the checks needing no call, ready to be posted. */
export interface PostingJob {
  readonly stored: StoredInvoice;
  readonly supplier: SupplierState;
  readonly supplierNumber: string;
  /** The supplier's pay site in the invoice's legal entity; null = the configured default site. */
  readonly supplierSite: string | null;
  readonly facts: PostedInvoiceFacts;
  /** When the invoice was approved (the approval's occurredAt): where the posting latency starts. */
  readonly approvedAt: Date;
}

/** What the ERP's answer means for the invoice, applied by `apply` in the handler's transaction. */
export type PostingResult =
  | { readonly kind: 'posted'; readonly document: ErpInvoiceDocument }
  | { readonly kind: 'rejected'; readonly erpCode: string | null; readonly message: string; readonly attempt: number }
  | { readonly kind: 'not-sent'; readonly code: string; readonly message: string };

/**
 * Posts an approved invoice to the ERP exactly once, as the write-back sink `fusion:invoice-postings`
 * (ErpPostingWriteBack registers it): the sink gives the posting its own consumer group, the
 * delivery ledger, the Fusion budget and breaker (an outage pauses the partition, nothing is
 * dead-lettered for it), leadership and metrics. This class holds the posting's domain rules in
 * three steps:
 *
 *  - `prepare` (the selector, in the handler's transaction, no call): locks the invoice row until
 *    the outcome commits, so a void or correction from AP (ApInvoiceIntake) waits for it and sees
 *    the invoice either unposted or posted with its ERP document; skips an invoice no longer
 *    APPROVED (a replayed approval never re-posts); refuses what cannot be posted without asking
 *    the ERP (no ERP supplier number, no pay site) as POSTING_FAILED.
 *  - `deliver` (the sink's call): asks Fusion whether it holds the PO (the PO-matching rule
 *    below), builds the body, and, when an earlier attempt exists, looks the invoice up in the ERP
 *    before posting again (GET ?q=InvoiceNumber=…;SupplierNumber=…), which covers "posted but
 *    the answer was lost". The attempt is journalled in erp_posting_attempts and COMMITTED in
 *    its own short transaction before the POST: the invoice's attempt history (GET
 *    /v1/invoices/:id, the void's in-doubt check) must survive the handler's rollback. The
 *    ledger's pending row says the same for the sink; the journal keeps each attempt's answer,
 *    which the ledger (one row per delivery) does not. Transient failures throw
 *    PlatformUnavailableError: retried with backoff and counted by the breaker.
 *  - `apply` (the sink's onDelivered, same transaction): ERP document id + InvoicePosted, or
 *    POSTING_FAILED + InvoicePostingFailed, atomically with the delivered mark and the inbox
 *    record. If that commit fails after a successful POST, the redelivery finds the journal row,
 *    looks the invoice up in the ERP and records it without posting again.
 * The POST happens while the handler's transaction is open (one pooled connection held for at
 * most FINMESH_ERP_TIMEOUT_MS per partition), the price of applying the answer atomically.
 *
 * PO matching: a line that refers to a PO line is posted PO-matched
 * (PurchaseOrderNumber, PurchaseOrderLineNumber, PurchaseOrderScheduleLineNumber, no distribution:
 * Fusion takes the PO's) only when the ERP holds the PO: before building the body Fusion is asked
 * (`GET purchaseOrders?q=OrderNumber='…'`, same authenticated client; no answer = retried).
 * Fusion refuses a PO-matched line for a PO it does not hold, so otherwise the line is
 * posted with a distribution: its own GL account / cost center, or, when it has none, its PO line's
 * (the replica keeps each PO line's accounting from PurchaseOrderLine, migration 006). A line with
 * neither is a mapping error (POSTING_FAILED, FINMESH_MAPPING). Whether the ERP holds the PO is
 * asked at each attempt; a re-post after a lost answer is preceded by the lookup anyway.
 *
 * A business rejection is an answer (POSTING_FAILED, InvoicePostingFailed BUSINESS), not a dead
 * letter. What the consumer runtime dead-letters (retry budget spent below the breaker's
 * threshold, credentials refused) is replayed with `finmesh dlt`: the journal + lookup make a
 * replay safe. The invoice stays APPROVED meanwhile (GET shows the attempts).
 */
@Injectable()
export class ErpPostingService {
  constructor(
    private readonly client: ErpInvoiceClient,
    private readonly database: DatabaseConnection,
    @Inject(INVOICE_SYNC_SETTINGS) private readonly settings: InvoiceSyncSettings,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditTrail,
    private readonly metrics: InvoiceSyncMetrics,
  ) {}

  /** The posting an approval asks for, or undefined when there is nothing to post (decided here, without a call). */
  async prepare(approved: InvoiceApproved, ctx: HandlerContext): Promise<PostingJob | undefined> {
    const db = ctx.manager;
    // Locked until the outcome commits (class comment). Read-back polls and payment handlers
    // touching this invoice wait too, at most the ERP timeout.
    const stored = await invoiceStore.find(db, approved.invoiceId, true);
    if (!stored) throw new BusinessRuleViolation(`InvoiceApproved for invoice ${approved.invoiceId}, which invoice-sync never received`, 'INVOICE_UNKNOWN');
    if (stored.status !== 'APPROVED') {
      // Posted, failed or decided otherwise since: an approval replayed late must not re-post.
      this.logger.info({ invoiceId: stored.invoiceId, status: stored.status }, 'approval ignored: invoice is no longer waiting for posting');
      return undefined;
    }
    const invoice = stored.invoice;
    const supplier = await supplierReplica.find(db, invoice.supplierId);
    const supplierNumber = supplier?.externalIds['ERP'];
    if (supplier === null || supplierNumber === undefined) {
      await this.notSent(ctx, stored, 'SUPPLIER_NOT_IN_ERP', `Supplier ${invoice.supplierId} has no ERP supplier number (externalIds.ERP); it cannot be posted.`);
      return undefined;
    }
    const paySite = paySiteFor(supplier.sites, stored.legalEntity, this.settings.legalEntities);
    if (paySite.kind === 'none') {
      await this.notSent(ctx, stored, 'SUPPLIER_SITE_MISSING', `Supplier ${supplierNumber} cannot be invoiced in legal entity ${stored.legalEntity.code}: ${paySite.reason}.`);
      return undefined;
    }
    const facts: PostedInvoiceFacts = { invoiceId: invoice.invoiceId, grossAmount: invoice.totals.gross.amount, currency: invoice.currency };
    return { stored, supplier, supplierNumber, supplierSite: paySite.kind === 'site' ? paySite.site : null, facts, approvedAt: new Date(approved.envelope.occurredAt) };
  }

  /** Posts the invoice (or finds the posting an earlier attempt made); the sink's `deliver`. */
  async deliver(job: PostingJob, context: DeliveryContext<EntityManager>): Promise<DeliveryAnswer<PostingResult>> {
    const db = context.transaction;
    const { stored, facts } = job;
    const body = await this.bodyOf(db, job);
    if (typeof body === 'string') return { code: 'NOT_SENT', summary: body, result: { kind: 'not-sent', code: 'FINMESH_MAPPING', message: body } };

    const previous = await postingAttempts.list(db, stored.invoiceId);
    if (previous.length > 0) {
      const existing = await this.findOwnPosting(db, stored, job.supplierNumber, facts);
      if (existing) {
        const attempt = await postingAttempts.start(db, stored.invoiceId, 'NOT_SENT');
        await postingAttempts.finish(db, stored.invoiceId, attempt, { outcome: 'FOUND_EXISTING', erpDocumentId: existing.documentId });
        this.logger.warn({ invoiceId: stored.invoiceId, erpDocumentId: existing.documentId }, 'ERP already holds the invoice from an earlier attempt; not posting again');
        return { status: 200, code: 'FOUND_EXISTING', summary: `ERP invoice ${existing.documentId}`, result: { kind: 'posted', document: existing } };
      }
    }

    const attempt = await this.database.dataSource.transaction((journal) => postingAttempts.start(journal, stored.invoiceId));
    const result = await this.client.post(body, facts);
    if (result.kind === 'posted') {
      await postingAttempts.finish(db, stored.invoiceId, attempt, { outcome: 'POSTED', httpStatus: result.httpStatus, erpDocumentId: result.document.documentId });
      return { status: result.httpStatus, code: 'POSTED', summary: `ERP invoice ${result.document.documentId}`, result: { kind: 'posted', document: result.document } };
    }
    const { failure } = result;
    const erpCode = failure.erpCode ?? failure.reasonCode;
    if (failure.failureClass === 'BUSINESS') {
      await postingAttempts.finish(db, stored.invoiceId, attempt, { outcome: 'BUSINESS_REJECTED', httpStatus: result.httpStatus, erpCode, erpMessage: failure.erpMessage });
      return {
        ...(result.httpStatus === null ? {} : { status: result.httpStatus }),
        code: 'BUSINESS_REJECTED',
        summary: `${erpCode}: ${failure.erpMessage}`,
        result: { kind: 'rejected', erpCode, message: failure.erpMessage, attempt },
      };
    }
    // Outside the handler's transaction, which the throw rolls back.
    await this.database.dataSource.transaction((journal) =>
      postingAttempts.finish(journal, stored.invoiceId, attempt, { outcome: 'TRANSIENT_FAILED', httpStatus: result.httpStatus, erpCode, erpMessage: failure.erpMessage }),
    );
    this.metrics.postingFinished('transient_failure');
    throw new PlatformUnavailableError('fusion', 'POST invoices', `posting of invoice ${stored.invoiceId} failed (${failure.reasonCode}): ${failure.erpMessage}`, result.httpStatus ?? undefined);
  }

  /** Applies the delivery's outcome to the invoice; the sink's `onDelivered`. Nothing when it was delivered before. */
  async apply(job: PostingJob, delivery: DeliveryHandled<PostingResult>, ctx: HandlerContext): Promise<void> {
    const result = delivery.result;
    if (!result) return;
    if (result.kind === 'posted') return this.posted(ctx, job.stored, result.document);
    if (result.kind === 'rejected') return this.failed(ctx, job.stored, result.erpCode, result.message, result.attempt);
    return this.notSent(ctx, job.stored, result.code, result.message);
  }

  /** The Fusion body, or the mapping problem that keeps the invoice from being posted. */
  private async bodyOf(db: EntityManager, job: PostingJob): Promise<FusionInvoiceCreateBody | string> {
    const { stored, supplier, supplierNumber } = job;
    const invoice = stored.invoice;
    const po = invoice.purchaseOrderId === null ? null : await purchaseOrderReplica.find(db, invoice.purchaseOrderId);
    const poNumber = po?.poNumber ?? null;
    // The PO-matching rule (class comment). Asked before anything is journalled, so an unanswered
    // lookup leaves no trace and is simply retried.
    const purchaseOrderInErp = poNumber !== null && invoice.lines.some((l) => l.poLineNumber !== null) ? (await this.client.findPurchaseOrder(poNumber)) !== undefined : false;
    const poLines = new Map((po?.lines ?? []).map((l) => [l.lineNumber, l]));
    try {
      return toFusionInvoiceCreateBody(payloadOf(stored), {
        businessUnit: stored.legalEntity.name ?? stored.legalEntity.code,
        supplier: supplier.legalName,
        supplierNumber,
        // The supplier's pay site in this legal entity; the configured site only for masters without sites.
        supplierSite: job.supplierSite,
        defaultSupplierSite: this.settings.erp.supplierSite,
        poNumber,
        purchaseOrderInErp,
        legalEntity: stored.legalEntity,
        // Company code - cost center - natural account; the segment layout is the customer's chart.
        distributionCombination: (line, le) => (line.glAccount ? `${le.code}-${line.costCenter?.code ?? '000'}-${line.glAccount}` : undefined),
        // A line not PO-matched (the ERP lacks the PO) and without accounting of its own takes its PO line's.
        poLineAccounting: (poLineNumber) => {
          const line = poLines.get(poLineNumber);
          return line && (line.glAccount !== null || line.costCenter !== null) ? { costCenter: line.costCenter, glAccount: line.glAccount } : undefined;
        },
      });
    } catch (err) {
      if (!(err instanceof MappingError)) throw err;
      return err.message;
    }
  }

  /**
   * The ERP document an earlier attempt created for this invoice: same supplier invoice number,
   * supplier and amount, and not already recorded for another finmesh invoice; one whose
   * description names this finmesh invoice is preferred. When in doubt a candidate is adopted
   * rather than posting again: a missing posting is visible and fixable, a double one is a double
   * liability.
   */
  private async findOwnPosting(db: EntityManager, stored: StoredInvoice, supplierNumber: string, facts: PostedInvoiceFacts): Promise<ErpInvoiceDocument | undefined> {
    const documents = await this.client.findInvoices(stored.erpInvoiceNumber, supplierNumber, facts);
    const candidates: ErpInvoiceDocument[] = [];
    for (const d of documents) {
      if (!decimal(d.amount).equals(decimal(facts.grossAmount)) || d.currency !== facts.currency) continue;
      if (await invoiceStore.erpDocumentHeldByOther(db, stored.invoiceId, d.documentId)) continue;
      candidates.push(d);
    }
    return candidates.find((d) => d.description?.includes(stored.invoiceId)) ?? candidates[0];
  }

  private async posted(ctx: HandlerContext, stored: StoredInvoice, document: ErpInvoiceDocument): Promise<void> {
    await invoiceStore.markPosted(ctx.manager, stored.invoiceId, { documentId: document.documentId, documentNumber: document.documentNumber, accountingDate: document.accountingDate });
    const event: InvoicePosted = {
      envelope: invoiceEnvelope('InvoicePosted', stored, ctx.eventId),
      invoiceId: stored.invoiceId,
      erpDocumentId: document.documentId,
      erpDocumentNumber: document.documentNumber,
      accountingDate: document.accountingDate,
      fiscalPeriod: null,
      postedAmount: { amount: decimal(stored.invoice.totals.gross.amount).toFixed(MONEY_SCALE), currency: stored.invoice.currency },
    };
    await ctx.emit([{ event: 'InvoicePosted', key: stored.invoiceId, value: event }]);
    // Payments recorded before the posting was (different topics) apply now.
    const payments = await refreshPaymentStatus(ctx.manager, stored.invoiceId);
    const status = payments.kind === 'updated' ? payments.status : 'POSTED';
    await this.audit.record(
      ctx.manager,
      invoiceTransition(stored, 'invoice.posted', { status, erpDocumentId: document.documentId, erpDocumentNumber: document.documentNumber, accountingDate: document.accountingDate }, ctx.eventId),
    );
    // Counted once committed: a rolled-back attempt (a lock conflict) would otherwise count twice.
    ctx.afterCommit(() => {
      this.metrics.postingFinished('posted');
      this.metrics.invoicePosted(stored.invoice.envelope.occurredAt);
    });
  }

  private async failed(ctx: HandlerContext, stored: StoredInvoice, erpCode: string | null, message: string, attempts: number): Promise<void> {
    await invoiceStore.setStatus(ctx.manager, stored.invoiceId, 'POSTING_FAILED');
    const event: InvoicePostingFailed = {
      envelope: invoiceEnvelope('InvoicePostingFailed', stored, ctx.eventId),
      invoiceId: stored.invoiceId,
      failureClass: 'BUSINESS',
      erpCode,
      erpMessage: message,
      attempts,
      remediationStatus: 'OPEN',
    };
    await ctx.emit([{ event: 'InvoicePostingFailed', key: stored.invoiceId, value: event }]);
    await this.audit.record(ctx.manager, invoiceTransition(stored, 'invoice.posting_failed', { status: 'POSTING_FAILED', erpCode, attempts }, ctx.eventId));
    ctx.afterCommit(() => this.metrics.postingFinished('business_failure'));
  }

  /** The invoice cannot even be sent (no ERP supplier number, unmappable): a business failure. */
  private async notSent(ctx: HandlerContext, stored: StoredInvoice, code: string, message: string): Promise<void> {
    const attempt = await postingAttempts.start(ctx.manager, stored.invoiceId, 'NOT_SENT');
    await postingAttempts.finish(ctx.manager, stored.invoiceId, attempt, { outcome: 'NOT_SENT', erpCode: code, erpMessage: message });
    return this.failed(ctx, stored, code, message, attempt);
  }
}

/**
 * The canonical invoice without its envelope (the adapters' ApprovedInvoice), numbered as the ERP
 * gets it: the supplier's number, or a replacement's suffixed one (invoices/invoice-correction.ts).
 */
function payloadOf(stored: StoredInvoice): ApprovedInvoice {
  const { envelope: _envelope, ...payload } = stored.invoice;
  return { ...payload, supplierInvoiceNumber: stored.erpInvoiceNumber };
}
