import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { mapCoupaPurchaseOrderChanged, mapCoupaPurchaseOrderIssued, type MappingContext } from '@finmesh/adapters';
import {
  type EventEnvelope,
  type LegalEntityRef,
  newEnvelope,
  type PurchaseOrderChanged,
  type PurchaseOrderClosed,
  type PurchaseOrderCloseReason,
  type PurchaseOrderIssued,
} from '@finmesh/contracts';
import { AuditTrail, DatabaseConnection, MessagingRuntime, stableHash } from '@finmesh/service-kit';
import { PO_MAPPING_CONTEXT } from '../adapters/tokens';
import { orderAuditSummary } from './purchase-order-audit';
import { PurchaseOrderStore, type PurchaseOrderView } from './purchase-order-store';
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
export function orderEnvelope(event: 'PurchaseOrderIssued' | 'PurchaseOrderChanged' | 'PurchaseOrderClosed' | 'GoodsReceiptRecorded', purchaseOrderId: string, legalEntity: LegalEntityRef, occurredAt?: Date): EventEnvelope {
  return newEnvelope(event, { sourcePlatform: 'PROCUREMENT', legalEntity, correlationId: purchaseOrderId, ...(occurredAt ? { occurredAt } : {}) });
}

/** Orders from procurement: state and event in one transaction per request. */
@Injectable()
export class PurchaseOrderService {
  private readonly store = new PurchaseOrderStore();

  constructor(
    private readonly db: DatabaseConnection,
    private readonly messaging: MessagingRuntime,
    private readonly audit: AuditTrail,
    @Inject(PO_MAPPING_CONTEXT) private readonly mapping: MappingContext,
  ) {}

  /** Coupa order -> PurchaseOrderIssued (new), PurchaseOrderChanged (new revision), nothing (re-send) or 409. */
  async receive(payload: unknown, actor?: string): Promise<OrderUpdateResult> {
    const issued = mapCoupaPurchaseOrderIssued(payload, this.mapping); // MappingError -> 422, nothing written
    const p = issued.payload;
    const contentHash = stableHash(p);
    const outcome = await this.db.dataSource.transaction(async (tx) => {
      await this.store.lock(tx, p.purchaseOrderId);
      const stored = await this.store.header(tx, p.purchaseOrderId);
      const decision = decideRevision(stored, { poNumber: p.poNumber, revision: p.revision, contentHash, supplierId: p.supplierId, currency: p.currency });
      if (decision.kind === 'refuse') throw refused(decision.reason, { purchaseOrderId: p.purchaseOrderId, recordedRevision: stored?.revision });
      if (decision.kind === 'unchanged') return 'unchanged' as const;
      if (decision.kind === 'issue') {
        const value: PurchaseOrderIssued = { envelope: orderEnvelope('PurchaseOrderIssued', p.purchaseOrderId, issued.legalEntity, issued.occurredAt), ...p };
        await this.messaging.outbox.enqueue(tx, [{ event: 'PurchaseOrderIssued', key: p.purchaseOrderId, value }]);
        await this.store.insertHeader(tx, { ...p, legalEntity: issued.legalEntity, contentHash, sourceUpdatedAt: issued.occurredAt, eventId: value.envelope.eventId });
        await this.store.writeLines(tx, p.purchaseOrderId, p.lines);
        await this.audit.record(tx, {
          entityType: 'purchase_order', entityId: p.purchaseOrderId, action: 'purchase_order.issued', actor,
          before: null, after: orderAuditSummary(p), causingEventId: value.envelope.eventId, correlationId: value.envelope.correlationId, occurredAt: issued.occurredAt,
        });
        return 'issued' as const;
      }
      const changed = mapCoupaPurchaseOrderChanged(payload, this.mapping);
      // The legal entity an order books into is fixed at issue; the envelope keeps it.
      const legalEntity = stored?.legalEntity ?? changed.legalEntity;
      const value: PurchaseOrderChanged = { envelope: orderEnvelope('PurchaseOrderChanged', p.purchaseOrderId, legalEntity, changed.occurredAt), ...changed.payload };
      await this.messaging.outbox.enqueue(tx, [{ event: 'PurchaseOrderChanged', key: p.purchaseOrderId, value }]);
      await this.store.updateRevision(tx, { ...changed.payload, contentHash, sourceUpdatedAt: changed.occurredAt, eventId: value.envelope.eventId });
      await this.store.writeLines(tx, p.purchaseOrderId, changed.payload.lines);
      await this.audit.record(tx, {
        entityType: 'purchase_order', entityId: p.purchaseOrderId, action: 'purchase_order.changed', actor,
        before: stored ? orderAuditSummary(stored) : null,
        after: { ...(stored ? orderAuditSummary(stored) : { poNumber: p.poNumber }), revision: changed.payload.revision, totals: changed.payload.totals, changeReason: changed.payload.changeReason },
        causingEventId: value.envelope.eventId, correlationId: value.envelope.correlationId, occurredAt: changed.occurredAt,
      });
      return 'changed' as const;
    });
    return { outcome, order: await this.get(p.purchaseOrderId) };
  }

  async close(purchaseOrderId: string, c: { reason: PurchaseOrderCloseReason; comment: string | null; closedBy: string | null }, actor?: string): Promise<PurchaseOrderView> {
    await this.db.dataSource.transaction(async (tx) => {
      await this.store.lock(tx, purchaseOrderId);
      const stored = await this.store.header(tx, purchaseOrderId);
      if (!stored) throw new NotFoundException(`no purchase order with id ${purchaseOrderId}`);
      if (stored.status === 'CLOSED') throw refused(`purchase order ${stored.poNumber} is already CLOSED (${stored.close?.reason ?? 'unknown reason'})`);
      const value: PurchaseOrderClosed = {
        envelope: orderEnvelope('PurchaseOrderClosed', purchaseOrderId, stored.legalEntity),
        purchaseOrderId, poNumber: stored.poNumber, reason: c.reason, comment: c.comment, closedBy: c.closedBy,
      };
      await this.messaging.outbox.enqueue(tx, [{ event: 'PurchaseOrderClosed', key: purchaseOrderId, value }]);
      await this.store.close(tx, purchaseOrderId, { ...c, eventId: value.envelope.eventId });
      const before = orderAuditSummary(stored);
      await this.audit.record(tx, {
        entityType: 'purchase_order', entityId: purchaseOrderId, action: 'purchase_order.closed', actor,
        before, after: { ...before, status: 'CLOSED', closeReason: c.reason, closedBy: c.closedBy },
        causingEventId: value.envelope.eventId, correlationId: value.envelope.correlationId,
      });
    });
    return this.get(purchaseOrderId);
  }

  async get(purchaseOrderId: string): Promise<PurchaseOrderView> {
    const order = await this.store.view(this.db.dataSource.manager, purchaseOrderId);
    if (!order) throw new NotFoundException(`no purchase order with id ${purchaseOrderId}`);
    return order;
  }
}
