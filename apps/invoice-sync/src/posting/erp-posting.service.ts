import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { decimal, MONEY_SCALE, type InvoiceApproved, type InvoicePosted, type InvoicePostingFailed } from '@finmesh/contracts';
import { BusinessRuleViolation, TransientFailure, type HandlerContext } from '@finmesh/messaging';
import { AuditTrail, DatabaseConnection, LOGGER } from '@finmesh/service-kit';
import { MappingError, toFusionInvoiceCreateBody, type ApprovedInvoice, type FusionInvoiceCreateBody } from '@finmesh/adapters';
import { invoiceTransition } from '../invoices/invoice-audit';
import { invoiceEnvelope } from '../invoices/invoice-events';
import { InvoiceSyncMetrics } from '../metrics/invoice-sync-metrics';
import { invoiceStore, type StoredInvoice } from '../invoices/invoice-store';
import { refreshPaymentStatus } from '../payments/payment-status';
import { purchaseOrderReplica } from '../replicas/purchase-order-replica';
import { supplierReplica } from '../replicas/supplier-replica';
import { paySiteFor } from './supplier-pay-site';
import type { InvoiceSyncSettings } from '../settings/invoice-sync-settings';
import { INVOICE_SYNC_SETTINGS } from '../settings/tokens';
import { ErpInvoiceClient, type ErpInvoiceDocument, type PostedInvoiceFacts } from './erp-invoice-client';
import { postingAttempts } from './posting-attempts';

/**
 * Posts an approved invoice to the ERP exactly once.
 *
 * Where the HTTP call sits: the consumer runtime opens the handler's transaction (inbox row)
 * before calling us, so the POST necessarily happens while that transaction is open; what matters
 * is what is written where:
 *  - The attempt journal row is written and COMMITTED in its own short transaction before the
 *    POST. If the handler later fails (timeout, 5xx, crash, failed commit), the rollback does not
 *    erase the fact that the ERP may hold the invoice.
 *  - Before any re-post (a journal row exists) the ERP is asked whether it holds the invoice
 *    (GET ?q=InvoiceNumber=…;SupplierNumber=…), which covers "posted but the answer was lost".
 *    Only when it answers "no" is the invoice posted again; when it cannot answer, we retry later.
 *  - The outcome (ERP document id + InvoicePosted, or POSTING_FAILED + InvoicePostingFailed) is
 *    written in the handler's transaction, atomically with the inbox record: if that commit fails
 *    after a successful POST, the redelivery finds the journal row, looks the invoice up in the
 *    ERP and records it without posting again.
 * Doing the POST after the commit (an outbox-like "post request" worked by a separate poller)
 * would free the DB connection during the call, but it would duplicate the retry/backoff/dead-
 * letter machinery the consumer already has; the price here is one pooled connection held for at
 * most FINMESH_ERP_TIMEOUT_MS per partition being processed.
 *
 * PO matching: a line that refers to a PO line is posted PO-matched
 * (PurchaseOrderNumber, PurchaseOrderLineNumber, PurchaseOrderScheduleLineNumber, no distribution:
 * Fusion takes the PO's) only when the ERP holds the PO: before building the body Fusion is asked
 * (`GET purchaseOrders?q=OrderNumber='…'`, same authenticated client; no answer = TransientFailure,
 * retried). Fusion refuses a PO-matched line for a PO it does not hold, so otherwise the line is
 * posted with a distribution: its own GL account / cost center, or, when it has none, its PO line's
 * (the replica keeps each PO line's accounting from PurchaseOrderLine, migration 006). A line with
 * neither is a mapping error (POSTING_FAILED, FINMESH_MAPPING). Whether the ERP holds the PO is
 * asked at each attempt; a re-post after a lost answer is preceded by the lookup of step 2 anyway.
 *
 * Transient failures (5xx, 429, timeouts, network) throw TransientFailure: the consumer retries
 * with backoff (its budget, default 5 attempts) and then dead-letters the InvoiceApproved as
 * TRANSIENT_EXHAUSTED; replaying it from the dead-letter topic re-enters here, and the journal +
 * lookup make that replay safe. The invoice stays APPROVED meanwhile (GET shows the attempts).
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

  async post(approved: InvoiceApproved, ctx: HandlerContext): Promise<void> {
    const db = ctx.manager;
    // Locked until the outcome commits: a void or correction from AP (ApInvoiceIntake) waits for
    // it, so it sees the invoice either unposted or posted with its ERP document, never in between.
    // (Read-back polls and payment handlers touching this invoice wait too, at most the ERP timeout.)
    const stored = await invoiceStore.find(db, approved.invoiceId, true);
    if (!stored) throw new BusinessRuleViolation(`InvoiceApproved for invoice ${approved.invoiceId}, which invoice-sync never received`, 'INVOICE_UNKNOWN');
    if (stored.status !== 'APPROVED') {
      // Posted, failed or decided otherwise since: an approval replayed late must not re-post.
      this.logger.info({ invoiceId: stored.invoiceId, status: stored.status }, 'approval ignored: invoice is no longer waiting for posting');
      return;
    }
    const invoice = stored.invoice;
    const facts: PostedInvoiceFacts = { invoiceId: invoice.invoiceId, grossAmount: invoice.totals.gross.amount, currency: invoice.currency };

    const supplier = await supplierReplica.find(db, invoice.supplierId);
    const supplierNumber = supplier?.externalIds['ERP'];
    if (supplier === null || supplierNumber === undefined) {
      return this.notSent(ctx, stored, 'SUPPLIER_NOT_IN_ERP', `Supplier ${invoice.supplierId} has no ERP supplier number (externalIds.ERP); it cannot be posted.`);
    }
    const paySite = paySiteFor(supplier.sites, stored.legalEntity, this.settings.legalEntities);
    if (paySite.kind === 'none') return this.notSent(ctx, stored, 'SUPPLIER_SITE_MISSING', `Supplier ${supplierNumber} cannot be invoiced in legal entity ${stored.legalEntity.code}: ${paySite.reason}.`);
    const po = invoice.purchaseOrderId === null ? null : await purchaseOrderReplica.find(db, invoice.purchaseOrderId);
    const poNumber = po?.poNumber ?? null;
    // The PO-matching rule (class comment, README). Asked before anything is journalled, so an
    // unanswered lookup (TransientFailure) leaves no trace and is simply retried.
    const purchaseOrderInErp = poNumber !== null && invoice.lines.some((l) => l.poLineNumber !== null) ? (await this.client.findPurchaseOrder(poNumber)) !== undefined : false;
    const poLines = new Map((po?.lines ?? []).map((l) => [l.lineNumber, l]));
    let body: FusionInvoiceCreateBody;
    try {
      body = toFusionInvoiceCreateBody(payloadOf(stored), {
        businessUnit: stored.legalEntity.name ?? stored.legalEntity.code,
        supplier: supplier.legalName,
        supplierNumber,
        // The supplier's pay site in this legal entity; the configured site only for masters without sites.
        supplierSite: paySite.kind === 'site' ? paySite.site : null,
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
      return this.notSent(ctx, stored, 'FINMESH_MAPPING', err.message);
    }

    const previous = await postingAttempts.list(db, invoice.invoiceId);
    if (previous.length > 0) {
      const existing = await this.findOwnPosting(db, stored, supplierNumber, facts);
      if (existing) {
        const attempt = await postingAttempts.start(db, invoice.invoiceId, 'NOT_SENT');
        await postingAttempts.finish(db, invoice.invoiceId, attempt, { outcome: 'FOUND_EXISTING', erpDocumentId: existing.documentId });
        this.logger.warn({ invoiceId: invoice.invoiceId, erpDocumentId: existing.documentId }, 'ERP already holds the invoice from an earlier attempt; not posting again');
        return this.posted(ctx, stored, existing);
      }
    }

    const attempt = await this.database.dataSource.transaction((journal) => postingAttempts.start(journal, invoice.invoiceId));
    const result = await this.client.post(body, facts);
    if (result.kind === 'posted') {
      await postingAttempts.finish(db, invoice.invoiceId, attempt, { outcome: 'POSTED', httpStatus: result.httpStatus, erpDocumentId: result.document.documentId });
      return this.posted(ctx, stored, result.document);
    }
    const { failure } = result;
    if (failure.failureClass === 'BUSINESS') {
      await postingAttempts.finish(db, invoice.invoiceId, attempt, {
        outcome: 'BUSINESS_REJECTED',
        httpStatus: result.httpStatus,
        erpCode: failure.erpCode ?? failure.reasonCode,
        erpMessage: failure.erpMessage,
      });
      return this.failed(ctx, stored, failure.erpCode ?? failure.reasonCode, failure.erpMessage, attempt);
    }
    // Outside the handler's transaction, which the throw rolls back.
    await this.database.dataSource.transaction((journal) =>
      postingAttempts.finish(journal, invoice.invoiceId, attempt, { outcome: 'TRANSIENT_FAILED', httpStatus: result.httpStatus, erpCode: failure.erpCode ?? failure.reasonCode, erpMessage: failure.erpMessage }),
    );
    this.metrics.postingFinished('transient_failure');
    throw new TransientFailure(`ERP posting of invoice ${invoice.invoiceId} failed (${failure.reasonCode}): ${failure.erpMessage}`);
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
    this.metrics.postingFinished('posted');
    this.metrics.invoicePosted(stored.invoice.envelope.occurredAt);
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
    this.metrics.postingFinished('business_failure');
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
