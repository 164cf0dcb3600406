import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deterministicEventId, newEnvelope, type InvoiceCancelled, type InvoiceReceived } from '@finmesh/contracts';
import { AuditTrail, MessagingRuntime } from '@finmesh/service-kit';
import { mapCapturedInvoice, MappingError, nameBasedId, readCoupaInvoiceLifecycle, type CoupaInvoiceLifecycle } from '@finmesh/adapters';
import { postingAttempts } from '../posting/posting-attempts';
import { capturedInvoiceContext } from './captured-invoice-context';
import { invoiceReceivedEntry, invoiceTransition } from './invoice-audit';
import type { InvoiceLifecycleStatus } from './invoice-status';
import { invoiceStore, type CaptureVersion, type StoredInvoice } from './invoice-store';

export interface InvoiceAccepted {
  readonly invoiceId: string;
  readonly status: InvoiceLifecycleStatus;
}

/** Statuses in which a newer capture replaces the stored one: not approved yet. */
export const CORRECTABLE_STATUSES: readonly InvoiceLifecycleStatus[] = ['RECEIVED', 'EXCEPTION', 'ON_HOLD', 'WAITING_FOR_RECEIPT'];

/** Statuses in which the invoice is in the ERP (a correction needs a cancellation there plus a new invoice). */
const IN_ERP: readonly InvoiceLifecycleStatus[] = ['POSTED', 'ERP_HOLD', 'PARTIALLY_PAID', 'PAID'];

/** Statuses a void is refused in: the ERP cancels no invoice with payments. */
const PAID: readonly InvoiceLifecycleStatus[] = ['PARTIALLY_PAID', 'PAID'];

/** Attempt outcomes after which the ERP may hold the invoice without finmesh knowing its document. */
const IN_DOUBT = new Set(['IN_FLIGHT', 'TRANSIENT_FAILED']);

/** The capture version as text (for event ids): `updated-at` and `lock-version-key`. */
export function captureVersionText(v: CaptureVersion): string {
  return `${v.updatedAt.toISOString()}#${v.lockVersion ?? '-'}`;
}

/**
 * Whether `candidate` is a later version of a Coupa invoice than `held`: by `lock-version-key`
 * when both carry one and they differ (Coupa's optimistic-lock counter), else by `updated-at`.
 * An unknown held version is never overtaken (nothing to compare with).
 */
export function isNewerCapture(candidate: CaptureVersion, held: CaptureVersion | null): boolean {
  if (held === null) return false;
  if (candidate.lockVersion !== null && held.lockVersion !== null && candidate.lockVersion !== held.lockVersion) return candidate.lockVersion > held.lockVersion;
  return candidate.updatedAt.getTime() > held.updatedAt.getTime();
}

/**
 * What POST /v1/ap/invoices does with a Coupa invoice, in one transaction with what it publishes:
 *
 * - **First capture** (status CAPTURABLE): stored RECEIVED + InvoiceReceived (validation follows in
 *   the InvoiceReceived consumer).
 * - **The same version again** (same `updated-at` / `lock-version-key`, or older): answered with
 *   the invoice's status; nothing written.
 * - **A correction** (a newer version of the same Coupa `id`): before approval (RECEIVED,
 *   EXCEPTION, ON_HOLD, WAITING_FOR_RECEIPT) it replaces the stored version, open exceptions are
 *   superseded, the status goes back to RECEIVED and a new InvoiceReceived is published (event id
 *   deterministic from the invoice id and the capture version), so it is validated and matched
 *   again. Once approved or posted it is refused with 409: Fusion does not take a changed invoice,
 *   the correction is a void in AP (finmesh cancels it in the ERP) plus a new invoice.
 * - **A void** (status `voided`): the invoice is CANCELLED and InvoiceCancelled (origin
 *   AP_PLATFORM, with its ERP document id when posted) published together. An unposted invoice
 *   just leaves the flow (nothing matches, approves or posts a CANCELLED invoice); a posted one is
 *   cancelled in the ERP by the InvoiceCancelled consumer (ErpCancellationService). Refused with
 *   404 for an invoice finmesh never received, 409 for one with payments (Fusion cancels none) or
 *   whose posting is in doubt (an attempt without answer: the ERP may hold it; void again once it
 *   is posted or failed). A void of a CANCELLED invoice is answered as is.
 *
 * The row is locked first; ERP posting holds the same lock for its call, so a void or correction
 * waits for a posting in flight and then sees its outcome.
 */
@Injectable()
export class ApInvoiceIntake {
  constructor(
    @Inject(MessagingRuntime) private readonly messaging: MessagingRuntime,
    private readonly audit: AuditTrail,
  ) {}

  async receive(tx: EntityManager, body: unknown, actor: string): Promise<InvoiceAccepted> {
    let lifecycle: CoupaInvoiceLifecycle;
    try {
      lifecycle = readCoupaInvoiceLifecycle(body);
    } catch (err) {
      if (!(err instanceof MappingError)) throw err;
      // A bad capture: the mapper's complete problem list when it has one, else the lifecycle's.
      mapCapturedInvoice(body, await capturedInvoiceContext(tx, body));
      throw err;
    }
    const version: CaptureVersion = { updatedAt: lifecycle.updatedAt, lockVersion: lifecycle.lockVersion };
    if (lifecycle.voided) return this.void(tx, lifecycle, version, actor);

    const mapped = mapCapturedInvoice(body, await capturedInvoiceContext(tx, body));
    const invoiceId = mapped.payload.invoiceId;
    const eventId = deterministicEventId('ap-capture', invoiceId, captureVersionText(version), 'InvoiceReceived');
    const existing = await invoiceStore.find(tx, invoiceId, true);
    if (!existing) {
      const invoice: InvoiceReceived = {
        envelope: newEnvelope('InvoiceReceived', { sourcePlatform: 'AP_AUTOMATION', legalEntity: mapped.legalEntity, occurredAt: mapped.occurredAt, eventId }),
        ...mapped.payload,
      };
      if (await invoiceStore.insertReceived(tx, invoice, version)) {
        await this.messaging.outbox.enqueue(tx, [{ event: 'InvoiceReceived', key: invoiceId, value: invoice }]);
        await this.audit.record(tx, invoiceReceivedEntry(invoice, eventId, actor));
        return { invoiceId, status: 'RECEIVED' };
      }
      // Inserted meanwhile by the topic path (no row to lock before): one invoice, answered as is.
      return { invoiceId, status: (await invoiceStore.find(tx, invoiceId))?.status ?? 'RECEIVED' };
    }
    // The same capture document again (another Idempotency-Key), or an older one: answered as is.
    if (!isNewerCapture(version, existing.captureVersion)) return { invoiceId, status: existing.status };

    if (!CORRECTABLE_STATUSES.includes(existing.status)) throw new ConflictException(correctionRefused(existing));
    const invoice: InvoiceReceived = {
      envelope: newEnvelope('InvoiceReceived', {
        sourcePlatform: 'AP_AUTOMATION',
        legalEntity: mapped.legalEntity,
        correlationId: existing.correlationId,
        occurredAt: mapped.occurredAt,
        eventId,
      }),
      ...mapped.payload,
    };
    const superseded = await invoiceStore.resolveOpenExceptions(tx, invoiceId, { kind: 'SUPERSEDED', by: actor, reason: `corrected in AP (capture ${captureVersionText(version)})` });
    await invoiceStore.replaceCaptured(tx, invoice, version);
    await this.messaging.outbox.enqueue(tx, [{ event: 'InvoiceReceived', key: invoiceId, value: invoice }]);
    await this.audit.record(
      tx,
      invoiceTransition(
        existing,
        'invoice.corrected',
        { status: 'RECEIVED', captureVersion: captureVersionText(version), grossAmount: invoice.totals.gross.amount, supersededExceptionIds: superseded },
        eventId,
        actor,
      ),
    );
    return { invoiceId, status: 'RECEIVED' };
  }

  private async void(tx: EntityManager, lifecycle: CoupaInvoiceLifecycle, version: CaptureVersion, actor: string): Promise<InvoiceAccepted> {
    const invoiceId = nameBasedId('invoice', lifecycle.invoiceKey);
    const stored = await invoiceStore.find(tx, invoiceId, true);
    if (!stored) throw new NotFoundException(`Coupa invoice ${lifecycle.invoiceKey} (${lifecycle.invoiceNumber}) was voided, but invoice-sync never received it (invoice ${invoiceId}); nothing to cancel`);
    if (stored.status === 'CANCELLED') return { invoiceId, status: 'CANCELLED' };
    if (PAID.includes(stored.status)) {
      throw new ConflictException(
        `invoice ${invoiceId} is ${stored.status}: the ERP holds payments for it and cancels no invoice with payments; void the payments in the ERP first, then void the invoice again`,
      );
    }
    if (stored.erpDocumentId === null) {
      const attempts = await postingAttempts.list(tx, invoiceId);
      const doubtful = attempts.filter((a) => IN_DOUBT.has(a.outcome));
      if (doubtful.length > 0 && stored.status === 'APPROVED') {
        throw new ConflictException(
          `invoice ${invoiceId} is being posted to the ERP and ${doubtful.length} attempt(s) got no answer, so the ERP may hold it; void it again once it is posted or its posting failed`,
        );
      }
    }
    const eventId = deterministicEventId('ap-capture', invoiceId, captureVersionText(version), 'InvoiceCancelled');
    await invoiceStore.markCancelled(tx, invoiceId, 'AP_PLATFORM', lifecycle.updatedAt);
    const resolved = await invoiceStore.resolveOpenExceptions(tx, invoiceId, { kind: 'CANCELLED', by: actor, reason: 'voided in AP' });
    const value: InvoiceCancelled = {
      envelope: newEnvelope('InvoiceCancelled', {
        sourcePlatform: 'AP_AUTOMATION',
        legalEntity: stored.legalEntity,
        correlationId: stored.correlationId,
        occurredAt: lifecycle.updatedAt,
        eventId,
      }),
      invoiceId,
      origin: 'AP_PLATFORM',
      cancelledAt: lifecycle.updatedAt,
      erpDocumentId: stored.erpDocumentId,
      reason: null,
    };
    await this.messaging.outbox.enqueue(tx, [{ event: 'InvoiceCancelled', key: invoiceId, value }]);
    await this.audit.record(
      tx,
      invoiceTransition(stored, 'invoice.cancelled', { status: 'CANCELLED', origin: 'AP_PLATFORM', erpDocumentId: stored.erpDocumentId, resolvedExceptionIds: resolved }, eventId, actor),
    );
    return { invoiceId, status: 'CANCELLED' };
  }
}

function correctionRefused(stored: StoredInvoice): string {
  if (IN_ERP.includes(stored.status)) {
    return (
      `invoice ${stored.invoiceId} is ${stored.status} in the ERP (document ${stored.erpDocumentId ?? 'unknown'}): the ERP does not take a changed invoice; ` +
      'a correction after posting requires a cancellation plus a new invoice: void this invoice in AP (finmesh cancels it in the ERP) and capture the corrected one as a new invoice'
    );
  }
  if (stored.status === 'APPROVED' || stored.status === 'POSTING_FAILED') {
    return (
      `invoice ${stored.invoiceId} is ${stored.status}: it was approved for posting to the ERP and can no longer be replaced; ` +
      'void it in AP and capture the corrected one as a new invoice (the ERP requires a cancellation plus a new invoice once posted)'
    );
  }
  return `invoice ${stored.invoiceId} is ${stored.status}: it has left the flow; capture the corrected one as a new invoice`;
}
