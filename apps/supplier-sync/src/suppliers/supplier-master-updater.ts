import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { deterministicEventId, newEnvelope, type SupplierBlocked, type SupplierUnblocked, type SupplierUpserted } from '@finmesh/contracts';
import { type OutboxEvent } from '@finmesh/messaging';
import { AuditTrail, DatabaseConnection, LOGGER, MessagingRuntime } from '@finmesh/service-kit';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { supplierAuditAction, supplierAuditSummary } from './supplier-audit';
import type { SupplierMaster } from './supplier-master';
import { SupplierStore, type StoredSupplier } from './supplier-store';
import { decideSupplierEvents } from './supplier-transitions';

export interface SupplierUpdateResult {
  readonly created: boolean;
  readonly supplier: StoredSupplier;
  /** Events written to the outbox with the change (empty for an identical re-send). */
  readonly events: readonly OutboxEvent['event'][];
}

/**
 * Applies a supplier master from the ERP: state and events in one transaction, so a stored change
 * is always published (by the outbox relay) and nothing is published for a change that was not stored.
 */
@Injectable()
export class SupplierMasterUpdater {
  private readonly store = new SupplierStore();

  constructor(
    private readonly db: DatabaseConnection,
    private readonly messaging: MessagingRuntime,
    private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `actor`: the API caller who pushed the master (the audit trail's actor). */
  async apply(master: SupplierMaster, actor?: string): Promise<SupplierUpdateResult> {
    const supplierId = master.record.supplierId;
    const result = await this.db.dataSource.transaction((tx) => this.applyIn(tx, master, actor));
    const supplier = await this.store.find(this.db.dataSource.manager, supplierId);
    if (!supplier) throw new Error(`supplier ${supplierId} vanished after it was stored`);
    if (result.events.length > 0) this.logger.info({ supplierId, events: result.events, status: supplier.status }, 'supplier master applied');
    return { ...result, supplier };
  }

  /**
   * The same, inside the caller's transaction (the Fusion supplier poll applies each polled record
   * in its page's transaction, with the poll ledger).
   */
  async applyIn(tx: EntityManager, master: SupplierMaster, actor?: string): Promise<{ created: boolean; events: OutboxEvent['event'][] }> {
    const supplierId = master.record.supplierId;
    await this.store.lock(tx, supplierId);
    const previous = await this.store.find(tx, supplierId, true);
    const decision = decideSupplierEvents(previous, master);
    if (previous && !decision.changed) return { created: false, events: [] };
    // The ERP may deliver an older snapshot after a newer one (retries, parallel pushes):
    // applying it would silently undo a newer change, e.g. lift a hold that is still in force.
    if (previous?.sourceUpdatedAt && master.occurredAt < previous.sourceUpdatedAt) {
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `stale supplier record: LastUpdateDate ${master.occurredAt.toISOString()} is older than the stored ${previous.sourceUpdatedAt.toISOString()}; not applied`,
      });
    }
    // Strictly increasing, and at least the ERP's update time, so consumers can drop older upserts.
    const revision = Math.max(master.occurredAt.getTime(), (previous?.revision ?? 0) + 1);
    const events = this.eventsFor(master, decision.contentHash, revision, decision.blocked, decision.unblockedScope);
    await this.messaging.outbox.enqueue(tx, events);
    const lastEventId = events[events.length - 1]?.value.envelope.eventId ?? '';
    await this.store.save(tx, master, { contentHash: decision.contentHash, version: decision.version, revision, lastEventId });
    await this.audit.record(tx, {
      entityType: 'supplier',
      entityId: supplierId,
      action: supplierAuditAction(previous === undefined, decision),
      actor,
      before: previous ? supplierAuditSummary(previous, previous.version) : null,
      after: supplierAuditSummary(master, decision.version),
      causingEventId: lastEventId,
      correlationId: events[0]?.value.envelope.correlationId ?? null,
      occurredAt: master.occurredAt,
    });
    return { created: previous === undefined, events: events.map((e) => e.event) };
  }

  private eventsFor(
    master: SupplierMaster,
    contentHash: string,
    revision: number,
    blocked: ReturnType<typeof decideSupplierEvents>['blocked'],
    unblockedScope: ReturnType<typeof decideSupplierEvents>['unblockedScope'],
  ): OutboxEvent[] {
    const supplierId = master.record.supplierId;
    // Ids from the supplier, the revision it moves to and the content it changed to: the same ERP
    // change, pushed or polled or re-read, is the same event (a hold released returns to earlier
    // content, but at a new revision, so it is a new event).
    const eventId = (event: OutboxEvent['event']) => deterministicEventId('supplier-sync', supplierId, String(revision), contentHash, event);
    const upsertEnvelope = newEnvelope('SupplierUpserted', { sourcePlatform: 'ERP', legalEntity: master.legalEntity, occurredAt: master.occurredAt, eventId: eventId('SupplierUpserted') });
    const upserted: SupplierUpserted = { envelope: upsertEnvelope, revision, ...master.record };
    const events: OutboxEvent[] = [{ event: 'SupplierUpserted', key: supplierId, value: upserted }];
    // Same ERP change, same flow: the block/unblock shares the upsert's correlation id, and
    // follows it on the same key so consumers see the record before the hold on it.
    const follow = { sourcePlatform: 'ERP' as const, legalEntity: master.legalEntity, occurredAt: master.occurredAt, correlationId: upsertEnvelope.correlationId };
    if (blocked) {
      const value: SupplierBlocked = {
        envelope: newEnvelope('SupplierBlocked', { ...follow, eventId: eventId('SupplierBlocked') }), supplierId, scope: blocked.scope,
        reasonCode: blocked.reasonCode, reason: blocked.reason, blockedBy: blocked.blockedBy,
      };
      events.push({ event: 'SupplierBlocked', key: supplierId, value });
    }
    if (unblockedScope) {
      const value: SupplierUnblocked = {
        envelope: newEnvelope('SupplierUnblocked', { ...follow, eventId: eventId('SupplierUnblocked') }), supplierId, scope: unblockedScope,
        reason: 'hold released in the ERP', unblockedBy: master.changedBy ?? 'ERP',
      };
      events.push({ event: 'SupplierUnblocked', key: supplierId, value });
    }
    return events;
  }
}
