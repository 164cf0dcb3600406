import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { readFusionInvoiceHold, readFusionInvoiceStatus, type FusionInvoiceValidation } from '@finmesh/adapters';
import {
  deterministicEventId,
  newEnvelope,
  type ErpValidationStatus,
  type EventName,
  type InvoiceCancelled,
  type InvoiceErpValidationReported,
} from '@finmesh/contracts';
import type { FusionItem, HandlerResult, PolledRecord } from '@finmesh/connectors';
import { AuditTrail, LOGGER, MessagingRuntime } from '@finmesh/service-kit';
import { invoiceTransition } from '../invoices/invoice-audit';
import type { InvoiceLifecycleStatus } from '../invoices/invoice-status';
import { invoiceStore, type StoredInvoice } from '../invoices/invoice-store';
import { refreshPaymentStatus } from '../payments/payment-status';
import { erpReadbackStore } from './erp-readback-store';

const CONTRACT_STATUS: Readonly<Record<FusionInvoiceValidation, ErpValidationStatus>> = {
  VALIDATED: 'VALIDATED',
  NOT_VALIDATED: 'NOT_VALIDATED',
  NEEDS_REVALIDATION: 'NEEDS_REVALIDATION',
  CANCELED: 'OTHER',
};

/** Statuses a hold moves to ERP_HOLD: posted, not yet (fully) paid by the ERP. */
const HOLDABLE: readonly InvoiceLifecycleStatus[] = ['POSTED', 'PARTIALLY_PAID'];

/**
 * "Posted" is not final: after finmesh creates an invoice, Fusion validates it and may put it
 * on hold, or someone cancels it there. The Fusion pollers (invoices and invoiceHolds) hand each
 * changed row to this class, in the poll's transaction:
 *
 * - an unreleased hold moves a posted invoice to ERP_HOLD; when its last hold is released it is
 *   POSTED again (and its payment status recomputed);
 * - every change of validation status or open holds is reported as InvoiceErpValidationReported,
 *   so AP and reporting see the ERP's view;
 * - an invoice cancelled in the ERP becomes CANCELLED (InvoiceCancelled, origin ERP).
 *
 * Rows of invoices finmesh did not post are none of its business and are skipped. Event ids are
 * derived from the ERP row and its LastUpdateDate, so a re-read row yields the same event.
 *
 * An invoice row locked by someone else (its posting, which holds it during the ERP call) is not
 * waited for, whether the row is found by its ERP document or, while the posting has not committed
 * that document yet, by its invoice number (`postingPending`, which also defers a row whose
 * posting will record it on its next attempt): the lock is taken NOWAIT, and the page is retried after the poll's backoff. Waiting
 * while this page transaction holds the audit-chain lock (taken by an earlier row's audit) would
 * deadlock with the posting, which audits after its ERP call.
 */
@Injectable()
export class ErpReadback {
  constructor(
    private readonly messaging: MessagingRuntime,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async applyInvoice(record: PolledRecord<FusionItem>, tx: EntityManager): Promise<HandlerResult> {
    const status = readFusionInvoiceStatus(record.data);
    const pending = await erpReadbackStore.postingPending(tx, status.invoiceNumber);
    const ref = await erpReadbackStore.invoiceOfDocument(tx, status.erpDocumentId);
    if (!ref) return pending ? 'deferred' : undefined;
    const invoice = await invoiceStore.find(tx, ref.invoiceId, 'nowait');
    if (!invoice) return;
    if (!(await erpReadbackStore.recordValidation(tx, invoice.invoiceId, status.validation, status.lastUpdateDate))) return;
    if (status.validation === 'CANCELED') {
      await this.cancelledInErp(tx, invoice, status.canceledDate ? new Date(`${status.canceledDate}T00:00:00Z`) : status.lastUpdateDate, source('invoices', record));
      return;
    }
    await this.reconcile(tx, invoice, source('invoices', record));
  }

  async applyHold(record: PolledRecord<FusionItem>, tx: EntityManager): Promise<HandlerResult> {
    const hold = readFusionInvoiceHold(record.data);
    const pending = await erpReadbackStore.postingPending(tx, hold.invoiceNumber);
    let invoiceId: string | undefined;
    if (hold.erpDocumentId) invoiceId = (await erpReadbackStore.invoiceOfDocument(tx, hold.erpDocumentId))?.invoiceId;
    else {
      const candidates = await erpReadbackStore.postedInvoicesNumbered(tx, hold.invoiceNumber);
      if (candidates.length > 1) throw new Error(`hold ${hold.holdId} names invoice number ${hold.invoiceNumber}, which finmesh posted ${candidates.length} times; it cannot be attributed`);
      invoiceId = candidates[0];
    }
    if (!invoiceId) return pending ? 'deferred' : undefined;
    const invoice = await invoiceStore.find(tx, invoiceId, 'nowait');
    if (!invoice) return;
    await erpReadbackStore.recordHold(tx, invoiceId, hold);
    await this.reconcile(tx, invoice, source('invoiceHolds', record));
  }

  /** Moves the invoice between POSTED and ERP_HOLD as its open holds say, and reports the ERP's view. */
  private async reconcile(tx: EntityManager, invoice: StoredInvoice, record: SourceRow): Promise<void> {
    const holds = await erpReadbackStore.openHolds(tx, invoice.invoiceId);
    const validation = (await erpReadbackStore.validationOf(tx, invoice.invoiceId)) as FusionInvoiceValidation | null;
    let status: InvoiceLifecycleStatus = invoice.status;
    if (holds.length > 0 && HOLDABLE.includes(invoice.status)) status = 'ERP_HOLD';
    if (holds.length === 0 && invoice.status === 'ERP_HOLD') status = 'POSTED';
    if (status !== invoice.status) {
      await invoiceStore.setStatus(tx, invoice.invoiceId, status);
      if (status === 'POSTED') await refreshPaymentStatus(tx, invoice.invoiceId);
      await this.audit.record(tx, invoiceTransition(invoice, status === 'ERP_HOLD' ? 'invoice.erp_hold' : 'invoice.erp_hold_released', { status, erpHolds: holds.map((h) => h.holdName).join(', ') }, null));
      this.logger.info({ invoiceId: invoice.invoiceId, status, holds: holds.map((h) => h.holdName) }, 'ERP validation changed the invoice status');
    }
    const value: InvoiceErpValidationReported = {
      envelope: this.envelope('InvoiceErpValidationReported', invoice, record),
      invoiceId: invoice.invoiceId,
      erpDocumentId: invoice.erpDocumentId ?? '',
      validationStatus: validation ? CONTRACT_STATUS[validation] : 'NOT_VALIDATED',
      holds,
      reportedAt: record.changedAt,
    };
    await this.messaging.outbox.enqueue(tx, [{ event: 'InvoiceErpValidationReported', key: invoice.invoiceId, value }]);
  }

  private async cancelledInErp(tx: EntityManager, invoice: StoredInvoice, at: Date, record: SourceRow): Promise<void> {
    if (invoice.status === 'CANCELLED') return;
    await erpReadbackStore.markCancelled(tx, invoice.invoiceId, 'ERP', at);
    await this.audit.record(tx, invoiceTransition(invoice, 'invoice.cancelled', { status: 'CANCELLED', origin: 'ERP' }, null));
    const value: InvoiceCancelled = {
      envelope: this.envelope('InvoiceCancelled', invoice, record),
      invoiceId: invoice.invoiceId,
      origin: 'ERP',
      cancelledAt: at,
      erpDocumentId: invoice.erpDocumentId,
      reason: null,
    };
    await this.messaging.outbox.enqueue(tx, [{ event: 'InvoiceCancelled', key: invoice.invoiceId, value }]);
  }

  private envelope(event: EventName, invoice: StoredInvoice, row: SourceRow) {
    return newEnvelope(event, {
      sourcePlatform: 'ERP',
      legalEntity: invoice.legalEntity,
      correlationId: invoice.correlationId,
      occurredAt: row.changedAt,
      eventId: deterministicEventId('fusion', row.resource, row.key, row.version, event),
    });
  }
}

/** The ERP row an event derives from: its resource, key and version make the event id. */
interface SourceRow {
  readonly resource: 'invoices' | 'invoiceHolds';
  readonly key: string;
  readonly version: string;
  readonly changedAt: Date;
}

function source(resource: SourceRow['resource'], record: PolledRecord<FusionItem>): SourceRow {
  return { resource, key: record.key, version: record.version, changedAt: record.changedAt };
}
