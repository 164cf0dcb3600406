import type { EventName, FieldPaths } from '@finmesh/contracts';
import { advisoryLockKey } from '@finmesh/persistence';
import type { MaybePromise } from './maybe-async';
import type { RowStore } from './row-store';
import type { TableSpec } from './read-model-table';

/** An event as a projection sees it: the decoded value plus where it was read from (lineage). */
export interface ProjectedEvent<V = unknown> {
  readonly event: EventName;
  readonly value: V;
  readonly eventId: string;
  /** Envelope occurredAt, ISO-8601 with milliseconds. */
  readonly occurredAt: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /**
   * `occurredAt|eventId`: the event's place in the one order every projection decides "later" by
   * (ISO timestamps sort as text, the id breaks ties). Made once per event, so every row the
   * event touches shares the one string.
   */
  readonly version: string;
}

/**
 * A set of read models derived from events. `apply` must be ORDER-INDEPENDENT and IDEMPOTENT:
 * the same set of events, in any order and with any duplicates, yields the same rows. That is
 * what lets a rebuild (all topics, partitions interleaved arbitrarily) produce exactly the tables
 * the live consumer maintained, and lets redeliveries around a rebuild's switch-over be harmless.
 */
export interface ReadModelProjection {
  readonly tables: readonly TableSpec[];
  /**
   * The fields `apply` reads, per event (see narrowed-schema.ts). A rebuild decodes only these:
   * a listed event arrives with every other field missing. An unlisted event is decoded in full.
   * The live consumer always decodes in full, so a field missing from this list makes a rebuild
   * differ from the live tables; the rebuild-equivalence tests catch that.
   */
  readonly reads?: Partial<Record<EventName, FieldPaths>>;
  /** Synchronous against a store that answers synchronously (see maybe-async.ts). */
  apply(store: RowStore, event: ProjectedEvent): MaybePromise<void>;
}

/** The advisory lock that live projection transactions share and a rebuild's switch-over takes exclusively. */
export function switchLockKey(schema: string): string {
  return advisoryLockKey(schema, 'read-model-switch');
}

/** The session advisory lock that allows one rebuild per read-model schema at a time. */
export function rebuildLockKey(schema: string): string {
  return advisoryLockKey(schema, 'read-model-rebuild');
}
