import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deterministicEventId, newEnvelope, type InvoiceCancelled, type InvoiceReceived } from '@finmesh/contracts';
import { AuditTrail, MessagingRuntime, type LegalEntityCheck } from '@finmesh/service-kit';
import { mapCapturedInvoice, MappingError, nameBasedId, readCoupaInvoiceLifecycle, type CoupaInvoiceLifecycle } from '@finmesh/adapters';
import { postingAttempts } from '../posting/posting-attempts';
import { capturedInvoiceContext } from './captured-invoice-context';
import { invoiceReceivedEntry, invoiceTransition } from './invoice-audit';
import { erpInvoiceNumberOf, replacementInvoiceId, supersededReason } from './invoice-correction';
import type { InvoiceLifecycleStatus } from './invoice-status';
import { invoiceStore, type ApCapture, type CaptureVersion, type StoredInvoice } from './invoice-store';
import { InvoiceValidationRunner } from './invoice-validation-runner';

export interface InvoiceAccepted {
  readonly invoiceId: string;
  readonly status: InvoiceLifecycleStatus;
}

/** Statuses in which a newer capture replaces the stored one: not approved yet. */
export const CORRECTABLE_STATUSES: readonly InvoiceLifecycleStatus[] = ['RECEIVED', 'EXCEPTION', 'ON_HOLD', 'WAITING_FOR_RECEIPT'];

/** Statuses in which the invoice is in the ERP (a correction needs a cancellation there plus a new invoice). */
const IN_ERP: readonly InvoiceLifecycleStatus[] = ['POSTED', 'ERP_HOLD', 'PARTIALLY_PAID', 'PAID'];

/**
 * Statuses in which a correction cancels the invoice (in finmesh now, in the ERP by the
 * InvoiceCancelled consumer) and stores the corrected capture as a new invoice: in the ERP, unpaid.
 */
export const SUPERSEDABLE_STATUSES: readonly InvoiceLifecycleStatus[] = ['POSTED', 'ERP_HOLD'];

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
 *   again. Once posted (POSTED, ERP_HOLD) it is a cancellation plus a new invoice, as Fusion
 *   requires (invoice-correction.ts): the posted invoice becomes CANCELLED (origin FINMESH, the
 *   reason naming the superseding capture version) with InvoiceCancelled, and the corrected capture
 *   is stored as a NEW invoice (id name-based on the old id and the capture version) that records
 *   which one it supersedes, in WAITING_FOR_ERP_CANCEL, with its InvoiceReceived (deterministic
 *   event id). The InvoiceCancelled consumer cancels the old document in the ERP and then releases
 *   the replacement into validation. Later versions of the same Coupa invoice apply to the newest
 *   replacement (the chain is followed). Refused with 409: APPROVED / POSTING_FAILED (approved for
 *   posting, not in the ERP), PARTIALLY_PAID / PAID (Fusion cancels no invoice with payments; that
 *   correction would be a credit memo, not handled), REJECTED / CANCELLED.
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
    private readonly validation: InvoiceValidationRunner,
  ) {}

  /**
   * The invoice decision (validation and matching) on a captured invoice, in the capture's own
   * transaction: invoice-sync decides where the invoice enters (this API, or the AP ingress topic),
   * never by consuming its own InvoiceReceived. Returns the status after the decision.
   */
  private async decide(tx: EntityManager, invoiceId: string, causationId: string, fallback: InvoiceLifecycleStatus): Promise<InvoiceLifecycleStatus> {
    return (await this.validation.run(tx, (events) => this.messaging.outbox.enqueue(tx, events), invoiceId, causationId)) ?? fallback;
  }

  /** `mayActOn`: refuses (403) an invoice of a legal entity outside the caller's scope, before anything is written. */
  async receive(tx: EntityManager, body: unknown, actor: string, mayActOn: LegalEntityCheck): Promise<InvoiceAccepted> {
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
    if (lifecycle.voided) return this.void(tx, lifecycle, version, actor, mayActOn);

    const mapped = mapCapturedInvoice(body, await capturedInvoiceContext(tx, body));
    mayActOn(mapped.legalEntity.code, `invoice ${mapped.payload.supplierInvoiceNumber}`);
    const capturedId = mapped.payload.invoiceId;
    const first = await invoiceStore.find(tx, capturedId, true);
    if (!first) {
      const invoiceId = capturedId;
      const eventId = deterministicEventId('ap-capture', invoiceId, captureVersionText(version), 'InvoiceReceived');
      const invoice: InvoiceReceived = {
        envelope: newEnvelope('InvoiceReceived', { sourcePlatform: 'AP_AUTOMATION', legalEntity: mapped.legalEntity, occurredAt: mapped.occurredAt, eventId }),
        ...mapped.payload,
      };
      if (await invoiceStore.insertReceived(tx, invoice, { apInvoiceId: lifecycle.invoiceKey, version })) {
        await this.messaging.outbox.enqueue(tx, [{ event: 'InvoiceReceived', key: invoiceId, value: invoice }]);
        await this.audit.record(tx, invoiceReceivedEntry(invoice, eventId, actor));
        return { invoiceId, status: await this.decide(tx, invoiceId, eventId, 'RECEIVED') };
      }
      // Inserted meanwhile by the ingress topic path (no row to lock before): one invoice, answered as is.
      return { invoiceId, status: (await invoiceStore.find(tx, invoiceId))?.status ?? 'RECEIVED' };
    }
    // The invoice that now stands for this Coupa invoice: the newest replacement, if it was corrected after posting.
    const existing = await current(tx, first);
    const invoiceId = existing.invoiceId;
    const eventId = deterministicEventId('ap-capture', invoiceId, captureVersionText(version), 'InvoiceReceived');
    // The same capture document again (another Idempotency-Key), or an older one: answered as is.
    if (!isNewerCapture(version, existing.captureVersion)) return { invoiceId, status: existing.status };

    if (SUPERSEDABLE_STATUSES.includes(existing.status)) return this.supersede(tx, existing, mapped, { apInvoiceId: lifecycle.invoiceKey, version }, actor);
    const waiting = existing.status === 'WAITING_FOR_ERP_CANCEL';
    if (!CORRECTABLE_STATUSES.includes(existing.status) && !waiting) throw new ConflictException(correctionRefused(existing));
    const invoice: InvoiceReceived = {
      envelope: newEnvelope('InvoiceReceived', {
        sourcePlatform: 'AP_AUTOMATION',
        legalEntity: mapped.legalEntity,
        correlationId: existing.correlationId,
        occurredAt: mapped.occurredAt,
        eventId,
      }),
      ...mapped.payload,
      invoiceId,
    };
    const superseded = await invoiceStore.resolveOpenExceptions(tx, invoiceId, { kind: 'SUPERSEDED', by: actor, reason: `corrected in AP (capture ${captureVersionText(version)})` });
    // A replacement still waiting for the ERP cancellation takes the newer version and keeps waiting.
    const status = waiting ? 'WAITING_FOR_ERP_CANCEL' : 'RECEIVED';
    await invoiceStore.replaceCaptured(
      tx,
      invoice,
      version,
      waiting ? { status: 'WAITING_FOR_ERP_CANCEL', erpInvoiceNumber: erpInvoiceNumberOf(invoice.supplierInvoiceNumber, await generationOf(tx, existing)) } : undefined,
    );
    await this.messaging.outbox.enqueue(tx, [{ event: 'InvoiceReceived', key: invoiceId, value: invoice }]);
    await this.audit.record(
      tx,
      invoiceTransition(
        existing,
        'invoice.corrected',
        { status, captureVersion: captureVersionText(version), grossAmount: invoice.totals.gross.amount, supersededExceptionIds: superseded },
        eventId,
        actor,
      ),
    );
    return { invoiceId, status: await this.decide(tx, invoiceId, eventId, status) };
  }

  /**
   * A correction after posting: the posted invoice is CANCELLED (origin FINMESH) with
   * InvoiceCancelled, and the corrected capture becomes a new invoice waiting for the ERP
   * cancellation, with its InvoiceReceived; all in the request's transaction. Everything written
   * is derived from the old invoice and the capture version (ids, event ids, times), so the same
   * correction delivered again finds the replacement (`current`) and changes nothing.
   */
  private async supersede(tx: EntityManager, old: StoredInvoice, mapped: ReturnType<typeof mapCapturedInvoice>, capture: ApCapture, actor: string): Promise<InvoiceAccepted> {
    const { version } = capture;
    const versionText = captureVersionText(version);
    const replacementId = replacementInvoiceId(old.invoiceId, versionText);
    const reason = supersededReason(version, versionText, replacementId);
    const cancelEventId = deterministicEventId('ap-capture', old.invoiceId, versionText, 'InvoiceCancelled');
    const receivedEventId = deterministicEventId('ap-capture', replacementId, versionText, 'InvoiceReceived');
    const replacement: InvoiceReceived = {
      envelope: newEnvelope('InvoiceReceived', {
        sourcePlatform: 'AP_AUTOMATION',
        legalEntity: mapped.legalEntity,
        // The same flow: the replacement is traced together with the invoice it supersedes.
        correlationId: old.correlationId,
        causationId: cancelEventId,
        occurredAt: mapped.occurredAt,
        eventId: receivedEventId,
      }),
      ...mapped.payload,
      invoiceId: replacementId,
    };
    const erpInvoiceNumber = erpInvoiceNumberOf(replacement.supplierInvoiceNumber, (await generationOf(tx, old)) + 1);

    await invoiceStore.markCancelled(tx, old.invoiceId, 'FINMESH', version.updatedAt, reason);
    const cancelled: InvoiceCancelled = {
      envelope: newEnvelope('InvoiceCancelled', {
        sourcePlatform: 'FINMESH',
        legalEntity: old.legalEntity,
        correlationId: old.correlationId,
        occurredAt: version.updatedAt,
        eventId: cancelEventId,
      }),
      invoiceId: old.invoiceId,
      origin: 'FINMESH',
      cancelledAt: version.updatedAt,
      erpDocumentId: old.erpDocumentId,
      reason,
    };
    if (!(await invoiceStore.insertReceived(tx, replacement, capture, { supersedesInvoiceId: old.invoiceId, erpInvoiceNumber }))) {
      // Cannot happen under the old row's lock (the replacement is only written here); never write a second one.
      throw new ConflictException(`invoice ${old.invoiceId} is superseded already (replacement ${replacementId} exists); send the correction again`);
    }
    await this.messaging.outbox.enqueue(tx, [
      { event: 'InvoiceCancelled', key: old.invoiceId, value: cancelled },
      { event: 'InvoiceReceived', key: replacementId, value: replacement },
    ]);
    await this.audit.record(
      tx,
      invoiceTransition(old, 'invoice.cancelled', { status: 'CANCELLED', origin: 'FINMESH', erpDocumentId: old.erpDocumentId, reason, replacedBy: replacementId }, cancelEventId, actor),
    );
    await this.audit.record(tx, invoiceReceivedEntry(replacement, receivedEventId, actor));
    return { invoiceId: replacementId, status: await this.decide(tx, replacementId, receivedEventId, 'WAITING_FOR_ERP_CANCEL') };
  }

  private async void(tx: EntityManager, lifecycle: CoupaInvoiceLifecycle, version: CaptureVersion, actor: string, mayActOn: LegalEntityCheck): Promise<InvoiceAccepted> {
    const capturedId = nameBasedId('invoice', lifecycle.invoiceKey);
    const first = await invoiceStore.find(tx, capturedId, true);
    if (!first) throw new NotFoundException(`Coupa invoice ${lifecycle.invoiceKey} (${lifecycle.invoiceNumber}) was voided, but invoice-sync never received it (invoice ${capturedId}); nothing to cancel`);
    mayActOn(first.legalEntity.code, `invoice ${lifecycle.invoiceNumber}`);
    // A void applies to the invoice that now stands for the Coupa invoice (its newest replacement).
    const stored = await current(tx, first);
    const invoiceId = stored.invoiceId;
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

/**
 * The invoice that stands for a Coupa invoice now: `first`, or, when it was superseded by a
 * correction after posting, its replacement (and so on), each row locked in turn (old before new,
 * as the InvoiceCancelled consumer locks them).
 */
async function current(tx: EntityManager, first: StoredInvoice): Promise<StoredInvoice> {
  let stored = first;
  for (;;) {
    if (stored.status !== 'CANCELLED') return stored;
    const next = await invoiceStore.replacementOf(tx, stored.invoiceId, true);
    if (!next) return stored;
    stored = next;
  }
}

/** How many replacements deep `stored` is (0 = the original capture). */
async function generationOf(tx: EntityManager, stored: StoredInvoice): Promise<number> {
  let generation = 0;
  let id = stored.supersedesInvoiceId;
  while (id !== null) {
    generation += 1;
    id = (await invoiceStore.find(tx, id))?.supersedesInvoiceId ?? null;
  }
  return generation;
}

function correctionRefused(stored: StoredInvoice): string {
  if (IN_ERP.includes(stored.status)) {
    // PARTIALLY_PAID / PAID (POSTED and ERP_HOLD are superseded instead).
    return (
      `invoice ${stored.invoiceId} is ${stored.status} in the ERP (document ${stored.erpDocumentId ?? 'unknown'}): the ERP does not take a changed invoice and cancels no invoice with payments; ` +
      'a correction of a paid invoice needs a credit memo, which finmesh does not create: record the credit memo in AP/the ERP'
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
