import type { IHeaders } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import type { OutboxEvent } from '../outbox/outbox-writer';
import type { EventName } from '@finmesh/contracts';

/** What a handler gets besides the event value. */
export interface HandlerContext {
  readonly event: EventName;
  readonly eventId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly headers: IHeaders;
  readonly consumerGroup: string;
  /** Schema id the producer wrote with (the value is already resolved into this build's schema). */
  readonly schemaId: number;
  /**
   * The transaction. Everything done through it commits atomically with the inbox record of this
   * event, and is rolled back if the handler throws.
   */
  readonly manager: EntityManager;
  /** Publishes follow-up events through the outbox, in the same transaction. */
  emit(events: readonly OutboxEvent[]): Promise<void>;
  /**
   * Runs `effect` once the transaction has committed, never when it rolls back: for what must
   * count a fact once (a metric), though the handler may run again after a rolled-back attempt.
   */
  afterCommit(effect: () => void): void;
}

export type EventHandler<V = unknown> = (value: V, context: HandlerContext) => Promise<void>;

export interface BatchItem<V = unknown> {
  readonly value: V;
  readonly context: HandlerContext;
}

/**
 * Applies several consecutive events of one type at once (e.g. one multi-row INSERT), inside the
 * same transaction as their inbox rows. Items arrive in partition order, duplicates already
 * removed. If it throws, the runtime re-runs the records one item per call to find the culprit,
 * so it must not assume it always gets more than one item.
 */
export type BatchEventHandler<V = unknown> = (items: readonly BatchItem<V>[]) => Promise<void>;
