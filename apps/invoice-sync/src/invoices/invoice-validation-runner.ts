import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InvoiceApproved, InvoiceMatched, MatchExceptionRaised } from '@finmesh/contracts';
import { AuditTrail } from '@finmesh/service-kit';
import { receivedQuantitiesByPoLine, type PurchaseOrderToMatch } from '../matching/three-way-match';
import { purchaseOrderReplica } from '../replicas/purchase-order-replica';
import { supplierReplica } from '../replicas/supplier-replica';
import type { InvoiceRules } from '../settings/invoice-rules';
import type { InvoiceSyncSettings } from '../settings/invoice-sync-settings';
import { INVOICE_RULES, INVOICE_SYNC_SETTINGS } from '../settings/tokens';
import { validateInvoice, type InvoiceDecision } from '../validation/invoice-validation';
import { invoiceTransition } from './invoice-audit';
import { invoiceEnvelope, type Emit } from './invoice-events';
import { REVALIDATABLE_STATUSES, type InvoiceLifecycleStatus } from './invoice-status';
import { invoiceStore, type StoredInvoice } from './invoice-store';

/**
 * Runs the invoice decision (validation/invoice-validation.ts) on what invoice-sync knows now and
 * applies it, in the caller's transaction: status, exception record, follow-up events.
 *
 * Called when an invoice arrives and again when something it waits for happens (a goods receipt
 * for its PO, its supplier upserted or unblocked). Applying the same decision twice changes
 * nothing and emits nothing, so a re-validation that finds the invoice still waiting is silent.
 */
@Injectable()
export class InvoiceValidationRunner {
  constructor(
    @Inject(INVOICE_RULES) private readonly rules: InvoiceRules,
    @Inject(INVOICE_SYNC_SETTINGS) private readonly settings: InvoiceSyncSettings,
    private readonly audit: AuditTrail,
  ) {}

  /** Re-validates the invoice if it is in a state validation may change; returns its status. */
  async run(db: EntityManager, emit: Emit, invoiceId: string, causationId: string | null): Promise<InvoiceLifecycleStatus | null> {
    // Serialise decisions per supplier: two invoices of one supplier validated concurrently (they
    // live on different partitions) would otherwise not see each other as duplicates.
    const supplierId = await invoiceStore.supplierIdOf(db, invoiceId);
    if (supplierId === undefined) return null;
    await invoiceStore.lockSupplierDecisions(db, supplierId);
    const stored = await invoiceStore.find(db, invoiceId, true);
    if (!stored) return null;
    if (!REVALIDATABLE_STATUSES.includes(stored.status)) return stored.status;

    const decision = await this.decide(db, stored);
    return this.apply(db, emit, stored, decision, causationId);
  }

  private async decide(db: EntityManager, stored: StoredInvoice): Promise<InvoiceDecision> {
    const invoice = stored.invoice;
    const supplier = await supplierReplica.find(db, invoice.supplierId);
    const po = invoice.purchaseOrderId === null ? null : await purchaseOrderReplica.find(db, invoice.purchaseOrderId);
    let purchaseOrder: PurchaseOrderToMatch | null = null;
    let received = new Map<number, string>();
    if (po !== null) {
      const invoiced = await invoiceStore.invoicedQuantities(db, po.purchaseOrderId, invoice.invoiceId);
      purchaseOrder = {
        purchaseOrderId: po.purchaseOrderId,
        supplierId: po.supplierId,
        currency: po.currency,
        // Cancelled lines are not offered: an invoice line referring to one gets PO_NOT_FOUND.
        lines: po.lines
          .filter((l) => !l.cancelled)
          .map((l) => ({ lineNumber: l.lineNumber, quantity: l.quantity, unitPrice: l.unitPrice, matchType: l.matchType, invoicedQuantity: invoiced.get(l.lineNumber) ?? '0' })),
      };
      received = receivedQuantitiesByPoLine(await purchaseOrderReplica.receiptLines(db, po.purchaseOrderId));
    }
    return validateInvoice({
      invoice,
      supplier: supplier === null ? null : { supplierId: supplier.supplierId, status: supplier.status, blockScopes: supplier.blockedScopes },
      earlierInvoicesOfSupplier: await invoiceStore.earlierOfSupplier(db, invoice.supplierId, stored.seq),
      purchaseOrder,
      receivedQuantities: received,
      toleranceRules: this.rules.tolerances,
      taxCodeRules: this.rules.taxCodes,
    });
  }

  private async apply(
    db: EntityManager,
    emit: Emit,
    stored: StoredInvoice,
    decision: InvoiceDecision,
    causationId: string | null,
  ): Promise<InvoiceLifecycleStatus> {
    const invoice = stored.invoice;
    const flow = { legalEntity: stored.legalEntity, correlationId: stored.correlationId };
    const matchResult = decision.matchResult === null ? null : { ...decision.matchResult, tolerances: decision.tolerances };

    if (decision.status === 'MATCHED') {
      await invoiceStore.resolveOpenExceptions(db, invoice.invoiceId, { kind: 'REVALIDATED', by: this.settings.autoApprover, reason: 'matched on re-validation' });
      const approval = { mode: 'AUTO', approvedBy: this.settings.autoApprover, reason: null, overriddenExceptionIds: [], approvedAt: new Date().toISOString() };
      await invoiceStore.setStatus(db, invoice.invoiceId, 'APPROVED', { matchResult, approval });
      const result = decision.matchResult!; // MATCHED implies matching ran (no PO -> PO_NOT_FOUND)
      const matched: InvoiceMatched = {
        envelope: invoiceEnvelope('InvoiceMatched', flow, causationId),
        invoiceId: invoice.invoiceId,
        supplierId: invoice.supplierId,
        purchaseOrderId: result.purchaseOrderId ?? invoice.purchaseOrderId ?? '',
        matchType: result.matchType ?? 'TWO_WAY',
        lineResults: [...result.lines],
      };
      const approved: InvoiceApproved = {
        envelope: invoiceEnvelope('InvoiceApproved', flow, matched.envelope.eventId),
        invoiceId: invoice.invoiceId,
        approvedBy: this.settings.autoApprover,
        mode: 'AUTO',
        reason: null,
        // Exceptions that a re-validation cleared (e.g. NO_RECEIPT) were resolved by the facts,
        // not overridden by a person: AUTO approvals list none.
        overriddenExceptionIds: [],
      };
      await emit([
        { event: 'InvoiceMatched', key: invoice.invoiceId, value: matched },
        { event: 'InvoiceApproved', key: invoice.invoiceId, value: approved },
      ]);
      await this.audit.record(
        db,
        invoiceTransition(stored, 'invoice.matched', { status: 'APPROVED', approvalMode: 'AUTO', matchType: matched.matchType, purchaseOrderId: matched.purchaseOrderId }, causationId),
      );
      return 'APPROVED';
    }

    // Not matched: unchanged status with the same reason codes = nothing new to tell anyone.
    const open = await invoiceStore.openExceptions(db, invoice.invoiceId);
    const codes = [...new Set(decision.reasons.map((r) => r.code))].sort().join(',');
    const unchanged = stored.status === decision.status && open.length === 1 && [...open[0]!.reasonCodes].sort().join(',') === codes;
    if (unchanged) {
      await invoiceStore.setStatus(db, invoice.invoiceId, decision.status, { matchResult });
      return decision.status;
    }
    await invoiceStore.resolveOpenExceptions(db, invoice.invoiceId, { kind: 'SUPERSEDED', by: this.settings.autoApprover, reason: `re-validated: ${decision.status}` });
    const exceptionId = randomUUID();
    await invoiceStore.raiseException(db, { exceptionId, invoiceId: invoice.invoiceId, kind: decision.status, reasons: decision.reasons });
    await invoiceStore.setStatus(db, invoice.invoiceId, decision.status, { matchResult });
    const raised: MatchExceptionRaised = {
      envelope: invoiceEnvelope('MatchExceptionRaised', flow, causationId),
      invoiceId: invoice.invoiceId,
      exceptionId,
      supplierId: invoice.supplierId,
      purchaseOrderId: await this.ownedPurchaseOrderId(db, stored, decision),
      reasons: [...decision.reasons],
    };
    await emit([{ event: 'MatchExceptionRaised', key: invoice.invoiceId, value: raised }]);
    await this.audit.record(
      db,
      invoiceTransition(stored, 'invoice.exception', { status: decision.status, exceptionId, reasonCodes: [...new Set(decision.reasons.map((r) => r.code))].sort() }, causationId),
    );
    return decision.status;
  }

  /** The PO involved, when it exists and belongs to the supplier (null otherwise, per the contract). */
  private async ownedPurchaseOrderId(db: EntityManager, stored: StoredInvoice, decision: InvoiceDecision): Promise<string | null> {
    if (decision.matchResult !== null) return decision.matchResult.purchaseOrderId;
    const id = stored.invoice.purchaseOrderId;
    if (id === null) return null;
    const po = await purchaseOrderReplica.find(db, id);
    return po !== null && po.supplierId === stored.invoice.supplierId ? id : null;
  }
}
