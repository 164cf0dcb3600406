import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { mapCoupaPurchaseOrderChanged, mapCoupaPurchaseOrderIssued, type Mapped, type MappingContext } from '@finmesh/adapters';
import {
  type EventEnvelope,
  type LegalEntityRef,
  newEnvelope,
  type PurchaseOrderChanged,
  type PurchaseOrderClosed,
  type PurchaseOrderCloseReason,
  type PurchaseOrderIssued,
} from '@finmesh/contracts';
import { AuditTrail, DatabaseConnection, LOGGER, MessagingRuntime, stableHash, type LegalEntityCheck } from '@finmesh/service-kit';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { PO_MAPPING_CONTEXT } from '../adapters/tokens';
import { orderAuditSummary } from './purchase-order-audit';
import { PurchaseOrderStore, type PurchaseOrderView } from './purchase-order-store';
import { supplierBlocks, type FlaggedDocument } from '../suppliers/supplier-block-store';
import { decideRevision } from './revision-decision';

export interface OrderUpdateResult {
  readonly outcome: 'issued' | 'changed' | 'unchanged';
  readonly order: PurchaseOrderView;
}

/** 409 with the reason in a field of its own, so platforms can show it without parsing the message. */
export function refused(reason: string, extra: Record<string, unknown> = {}): ConflictException {
  return new ConflictException({ statusCode: 409, error: 'Conflict', message: reason, reason, ...extra });
}

/**
 * Every event of one order shares a correlation id (the order id), so an order's issue, changes,
 * receipts and closure can be traced as one flow.
 */
export function orderEnvelope(
  event: OrderEventName,
  purchaseOrderId: string,
  legalEntity: LegalEntityRef,
  occurredAt?: Date,
  eventId?: string,
): EventEnvelope {
  return newEnvelope(event, { sourcePlatform: 'PROCUREMENT', legalEntity, correlationId: purchaseOrderId, ...(occurredAt ? { occurredAt } : {}), ...(eventId ? { eventId } : {}) });
}

export type OrderEventName = 'PurchaseOrderIssued' | 'PurchaseOrderChanged' | 'PurchaseOrderClosed' | 'GoodsReceiptRecorded';

/**
 * Where a fact comes from, for its envelope. Pushed: a fresh event id (the HTTP API's
 * Idempotency-Key and the revision check make a re-send harmless). Polled: `eventIdFor` gives
 * the deterministic id of (platform, resource, record key, record version, event), so a re-read
 * record yields the same event id and content (the record's own time, never now()).
 */
export interface FactSource {
  readonly actor?: string | undefined;
  readonly eventIdFor?: (event: OrderEventName) => string;
  /** An API caller's legal-entity scope: a fact for another entity is refused (403) before anything is written. */
  readonly mayActOn?: LegalEntityCheck;
}

/**
 * Orders from procurement. Every use case has one code path that runs in a given transaction
 * (`applyIn`, `closeIn`, `closeFromProcurementIn`): the HTTP push endpoints open a transaction per
 * request around it; the Coupa poller runs it in the poll page's transaction, with the poll ledger.
 */
@Injectable()
export class PurchaseOrderService {
  private readonly store = new PurchaseOrderStore();

  constructor(
    private readonly db: DatabaseConnection,
    private readonly messaging: MessagingRuntime,
    private readonly audit: AuditTrail,
    @Inject(PO_MAPPING_CONTEXT) private readonly mapping: MappingContext,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Coupa order -> PurchaseOrderIssued (new), PurchaseOrderChanged (new revision), nothing (re-send) or 409. */
  async receive(payload: unknown, actor?: string, mayActOn?: LegalEntityCheck): Promise<OrderUpdateResult> {
    const order = this.coupaOrder(payload); // MappingError -> 422, nothing written
    const outcome = await this.db.dataSource.transaction((tx) => this.applyIn(tx, order, { actor, mayActOn }));
    return { outcome, order: await this.get(order.issued.payload.purchaseOrderId) };
  }

  /** A Coupa order (pushed or polled) as po-sync applies it. */
  coupaOrder(payload: unknown): IncomingOrder {
    return { issued: mapCoupaPurchaseOrderIssued(payload, this.mapping), changed: () => mapCoupaPurchaseOrderChanged(payload, this.mapping), supplier: coupaSupplier(payload) };
  }

  /**
   * Applies an open order in `tx`: issue, change, nothing (same revision and content) or a 409
   * ConflictException (refused; nothing written). The caller maps it first (`coupaOrder`, or the
   * procurement ingress topic's event), so an unmappable order never opens a transaction.
   */
  async applyIn(tx: EntityManager, order: IncomingOrder, source: FactSource): Promise<'issued' | 'changed' | 'unchanged'> {
    const { issued } = order;
    const p = issued.payload;
    source.mayActOn?.(issued.legalEntity.code, `purchase order ${p.poNumber}`);
    const contentHash = stableHash(p);
    const actor = source.actor;
    await this.store.lock(tx, p.purchaseOrderId);
    const stored = await this.store.header(tx, p.purchaseOrderId);
    const decision = decideRevision(stored, { poNumber: p.poNumber, revision: p.revision, contentHash, supplierId: p.supplierId, currency: p.currency });
    if (decision.kind === 'refuse') throw refused(decision.reason, { purchaseOrderId: p.purchaseOrderId, recordedRevision: stored?.revision });
    if (decision.kind === 'unchanged') return 'unchanged';
    if (decision.kind === 'issue') {
      const value: PurchaseOrderIssued = { envelope: orderEnvelope('PurchaseOrderIssued', p.purchaseOrderId, issued.legalEntity, issued.occurredAt, source.eventIdFor?.('PurchaseOrderIssued')), ...p };
      await this.messaging.outbox.enqueue(tx, [{ event: 'PurchaseOrderIssued', key: p.purchaseOrderId, value }]);
      await this.store.insertHeader(tx, { ...p, legalEntity: issued.legalEntity, contentHash, sourceUpdatedAt: issued.occurredAt, eventId: value.envelope.eventId, supplier: order.supplier });
      await this.store.writeLines(tx, p.purchaseOrderId, p.lines);
      await this.flagIfSupplierBlocked(tx, p.purchaseOrderId, p.supplierId, p.poNumber);
      await this.audit.record(tx, {
        entityType: 'purchase_order', entityId: p.purchaseOrderId, action: 'purchase_order.issued', actor,
        before: null, after: orderAuditSummary(p), causingEventId: value.envelope.eventId, correlationId: value.envelope.correlationId, occurredAt: issued.occurredAt,
      });
      return 'issued';
    }
    const changed = order.changed();
    // The legal entity an order books into is fixed at issue; the envelope keeps it.
    const legalEntity = stored?.legalEntity ?? changed.legalEntity;
    const value: PurchaseOrderChanged = { envelope: orderEnvelope('PurchaseOrderChanged', p.purchaseOrderId, legalEntity, changed.occurredAt, source.eventIdFor?.('PurchaseOrderChanged')), ...changed.payload };
    await this.messaging.outbox.enqueue(tx, [{ event: 'PurchaseOrderChanged', key: p.purchaseOrderId, value }]);
    await this.store.updateRevision(tx, { ...changed.payload, contentHash, sourceUpdatedAt: changed.occurredAt, eventId: value.envelope.eventId });
    await this.store.writeLines(tx, p.purchaseOrderId, changed.payload.lines);
    await this.flagIfSupplierBlocked(tx, p.purchaseOrderId, p.supplierId, p.poNumber);
    await this.audit.record(tx, {
      entityType: 'purchase_order', entityId: p.purchaseOrderId, action: 'purchase_order.changed', actor,
      before: stored ? orderAuditSummary(stored) : null,
      after: { ...(stored ? orderAuditSummary(stored) : { poNumber: p.poNumber }), revision: changed.payload.revision, totals: changed.payload.totals, changeReason: changed.payload.changeReason },
      causingEventId: value.envelope.eventId, correlationId: value.envelope.correlationId, occurredAt: changed.occurredAt,
    });
    return 'changed';
  }

  async close(purchaseOrderId: string, c: CloseFacts, actor?: string, mayActOn?: LegalEntityCheck): Promise<PurchaseOrderView> {
    await this.db.dataSource.transaction(async (tx) => {
      const outcome = await this.closeIn(tx, purchaseOrderId, c, { actor, mayActOn });
      if (outcome.kind === 'unknown') throw new NotFoundException(`no purchase order with id ${purchaseOrderId}`);
      if (outcome.kind === 'already-closed') throw refused(`purchase order ${outcome.poNumber} is already CLOSED (${outcome.reason ?? 'unknown reason'})`);
    });
    return this.get(purchaseOrderId);
  }

  /**
   * Closes an order in `tx` with PurchaseOrderClosed. An unknown or already closed order changes
   * nothing; the caller decides what that means (404/409 for the API, a no-op for the poller).
   */
  async closeIn(tx: EntityManager, purchaseOrderId: string, c: CloseFacts, source: FactSource & { occurredAt?: Date }): Promise<CloseOutcome> {
    await this.store.lock(tx, purchaseOrderId);
    const stored = await this.store.header(tx, purchaseOrderId);
    if (!stored) return { kind: 'unknown' };
    source.mayActOn?.(stored.legalEntity.code, `purchase order ${stored.poNumber}`);
    if (stored.status === 'CLOSED') return { kind: 'already-closed', poNumber: stored.poNumber, reason: stored.close?.reason ?? null };
    const value: PurchaseOrderClosed = {
      envelope: orderEnvelope('PurchaseOrderClosed', purchaseOrderId, stored.legalEntity, source.occurredAt, source.eventIdFor?.('PurchaseOrderClosed')),
      purchaseOrderId, poNumber: stored.poNumber, reason: c.reason, comment: c.comment, closedBy: c.closedBy,
    };
    await this.messaging.outbox.enqueue(tx, [{ event: 'PurchaseOrderClosed', key: purchaseOrderId, value }]);
    await this.store.close(tx, purchaseOrderId, { ...c, eventId: value.envelope.eventId });
    const before = orderAuditSummary(stored);
    await this.audit.record(tx, {
      entityType: 'purchase_order', entityId: purchaseOrderId, action: 'purchase_order.closed', actor: source.actor,
      before, after: { ...before, status: 'CLOSED', closeReason: c.reason, closedBy: c.closedBy },
      causingEventId: value.envelope.eventId, correlationId: value.envelope.correlationId, ...(source.occurredAt ? { occurredAt: source.occurredAt } : {}),
    });
    return { kind: 'closed' };
  }

  async get(purchaseOrderId: string): Promise<PurchaseOrderView & { readonly supplierBlocked: FlaggedDocument | null }> {
    const order = await this.store.view(this.db.dataSource.manager, purchaseOrderId);
    if (!order) throw new NotFoundException(`no purchase order with id ${purchaseOrderId}`);
    return { ...order, supplierBlocked: (await supplierBlocks.flagOf(this.db.dataSource.manager, 'purchase_order', purchaseOrderId)) ?? null };
  }

  /**
   * A PO issued or changed while its supplier is blocked for purchasing is accepted (procurement
   * already holds it) and flagged: listed for ops, shown on the order, and logged.
   */
  private async flagIfSupplierBlocked(tx: EntityManager, purchaseOrderId: string, supplierId: string, poNumber: string): Promise<void> {
    const block = await supplierBlocks.procurementBlockOf(tx, supplierId);
    if (!block) return;
    await supplierBlocks.flag(tx, 'purchase_order', purchaseOrderId, block);
    this.logger.warn({ purchaseOrderId, poNumber, supplierId, scope: block.scope, reasonCode: block.reasonCode }, 'purchase order accepted for a blocked supplier and flagged');
  }
}

/**
 * An open order as a platform states it: the whole order (as if issued), how it reads as a change
 * of the order held (mapped only when it is one), and the supplier as the platform names it.
 */
export interface IncomingOrder {
  readonly issued: Mapped<'PurchaseOrderIssued'>;
  readonly changed: () => Mapped<'PurchaseOrderChanged'>;
  readonly supplier: { readonly number: string | null; readonly name: string | null };
}

export interface CloseFacts {
  readonly reason: PurchaseOrderCloseReason;
  readonly comment: string | null;
  readonly closedBy: string | null;
}

export type CloseOutcome =
  | { readonly kind: 'closed' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'already-closed'; readonly poNumber: string; readonly reason: string | null };

/** The supplier as Coupa names it (`supplier: { number, name }`); the ERP sync needs the number (the ERP supplier number). */
function coupaSupplier(payload: unknown): { number: string | null; name: string | null } {
  const supplier = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)['supplier'] : undefined;
  const s = typeof supplier === 'object' && supplier !== null ? (supplier as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : null);
  return { number: text(s['number']), name: text(s['name']) };
}
