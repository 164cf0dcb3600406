import type { BatchEventHandler, BatchItem } from '@finmesh/messaging';
import { EVENT_NAMES, type EventEnvelope, type EventName } from '@finmesh/contracts';
import { projectedEvent } from './projected-event';
import { switchLockKey, type ProjectedEvent, type ReadModelProjection } from './read-model-projection';
import { SqlRowStore } from './sql-row-store';
import type { SqlExecutor } from '@finmesh/persistence';

export interface LiveProjectionOptions {
  readonly projection: ReadModelProjection;
  /** Schema of the live read-model tables. */
  readonly schema: string;
  /** Called inside the transaction after the batch's rows are written (e.g. observations, NOTIFY). */
  readonly afterBatch?: (exec: SqlExecutor, events: readonly ProjectedEvent[]) => Promise<void>;
}

/**
 * Batch handlers for ReliableConsumer that keep a projection's tables current: every run of
 * records is applied through one {@link SqlRowStore} (rows locked, then upserted in bulk) inside
 * the consumer's transaction, so the inbox, the rows and the offsets move together.
 * Each transaction holds the read-model switch lock SHARED: a rebuild's switch-over, which takes
 * it exclusively, therefore never races a live write.
 */
export function liveProjectionHandlers(o: LiveProjectionOptions): Record<EventName, BatchEventHandler> {
  // Derived once: the handler runs per batch on the projection's hot path.
  const switchLock = switchLockKey(o.schema);
  const handler: BatchEventHandler = async (items: readonly BatchItem[]) => {
    const first = items[0];
    if (!first) return;
    const exec = first.context.manager;
    await exec.query('SELECT pg_advisory_xact_lock_shared($1::bigint)', [switchLock]);
    const store = new SqlRowStore(exec, o.schema);
    const events = items.map(({ value, context }): ProjectedEvent => {
      const envelope = (value as { envelope: EventEnvelope }).envelope;
      return projectedEvent(context.event, value, { eventId: context.eventId, occurredAt: envelope.occurredAt }, context);
    });
    for (const e of events) await o.projection.apply(store, e);
    await store.flush();
    await o.afterBatch?.(exec, events);
  };
  return Object.fromEntries(EVENT_NAMES.map((e) => [e, handler])) as Record<EventName, BatchEventHandler>;
}
