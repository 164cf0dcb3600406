import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { DataSource, QueryRunner } from 'typeorm';
import { CONTENT_DIGEST_SCHEME, createTopicsAndWait, type DecodedEvent, type EventCodec, type EventName } from '@finmesh/contracts';
import { defaultDeadLetterTopic } from '../dead-letter/dead-letter-headers';
import { publishDeadLetter } from '../dead-letter/dead-letter-publisher';
import {
  countBy,
  type MessagingObserver,
  notifyObserver,
  UNKNOWN_EVENT_TYPE,
} from '../observability/messaging-observer';
import { EVENT_HEADERS } from '../producing/event-headers';
import type { OutboxWriter } from '../outbox/outbox-writer';
import { postgresPoolOf, quoteIdentifier } from '@finmesh/persistence';
import { withBatchSpan, withProcessSpan } from '../tracing/event-spans';
import { kafkaHeaderString } from '../tracing/trace-headers';
import { type ClassifiedFailure, classifyFailure, EventIdConflictError, partitionHoldMs } from './error-classification';
import type { BatchEventHandler, EventHandler, HandlerContext } from './handler-context';
import { ensureInboxTable } from './inbox-table';
import { expectedPartition, WrongPartitionError } from './partition-contract';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy, validateRetryPolicy } from './retry-policy';

export interface ReliableConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly dataSource: DataSource;
  /** Schema holding this service's inbox (and outbox) tables. */
  readonly schema: string;
  readonly codec: EventCodec;
  readonly handlers: Partial<Record<EventName, EventHandler>>;
  /**
   * Optional batch form for high-volume event types (projections, bulk loads): consecutive
   * records of that type in one transaction go to one call. Takes precedence over `handlers`.
   */
  readonly batchHandlers?: Partial<Record<EventName, BatchEventHandler>>;
  readonly logger: Logger;
  /** Needed when handlers emit events. */
  readonly outbox?: OutboxWriter;
  readonly retry?: Partial<RetryPolicy>;
  readonly deadLetterTopic?: (sourceTopic: string) => string;
  /** Partitions processed in parallel (each in order); default 4. */
  readonly partitionsConsumedConcurrently?: number;
  /** Most records applied in one database transaction; default 500. */
  readonly maxRecordsPerTransaction?: number;
  readonly fromBeginning?: boolean;
  /**
   * Longest a fetch waits for new data (default 250 ms). Also bounds how late a paused partition
   * is re-fetched after its backoff, so it is kept short rather than kafkajs' 5 s default.
   */
  readonly maxWaitTimeInMs?: number;
  /** Metrics hooks (events consumed, handler latency, retries, dead letters). */
  readonly observer?: MessagingObserver;
}

export interface ConsumerStats {
  applied: number;
  duplicatesSkipped: number;
  unhandledSkipped: number;
  deadLettered: number;
  retriesScheduled: number;
  transactions: number;
  /** Times a partition was handed back because the database pool had waiters. */
  backpressurePauses: number;
}

interface DecodedRecord {
  readonly message: KafkaMessage;
  readonly decoded: DecodedEvent;
  readonly eventId: string;
}

/** A handler threw for the record at `index` of a run. */
class RecordFailure extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
    /** The failure came from a batch call: which record caused it is not known yet. */
    readonly fromBatch = false,
  ) {
    super('handler failed');
  }
}

interface FailureState {
  attempts: number;
  firstFailureAt: Date;
}

type RunOutcome = { committed: number; failure?: { index: number; error: unknown }; infrastructure?: unknown };

/**
 * The finmesh consumer: ordered per partition, idempotent, batched, with retries and dead letters.
 *
 * Per partition batch it decodes a run of records, then applies the run in ONE transaction:
 * insert the event ids into the inbox (ON CONFLICT DO NOTHING tells which are new), run the
 * handlers of the new ones, commit. Only then are the offsets resolved, so a crash anywhere
 * redelivers records whose effects are either fully committed (skipped by the inbox) or absent.
 *
 * When a handler throws, the transaction is rolled back, the records before the failing one are
 * re-applied in their own transaction (they were fine), and the failing record is classified:
 * permanent → dead-letter topic at once; transient → this partition is paused for a backoff and
 * the record re-fetched, other partitions carry on; after the retry budget → dead-letter topic.
 * A database that is down is not the record's fault: it pauses the partition without spending
 * the record's budget. A keyed record on another partition than the catalog's partitioner gives
 * its key (PARTITIONER, murmur2) is dead-lettered as WRONG_PARTITION before it is decoded: its
 * aggregate's order is already broken (partition-contract.ts). A decoded event this consumer
 * handles that breaks the contract's business rules (schemas/business-rules.json) is
 * dead-lettered as BUSINESS_RULE_VIOLATION, naming each broken rule and field path.
 */
export class ReliableConsumer {
  readonly stats: ConsumerStats = { applied: 0, duplicatesSkipped: 0, unhandledSkipped: 0, deadLettered: 0, retriesScheduled: 0, transactions: 0, backpressurePauses: 0 };
  private readonly retry: RetryPolicy;
  private readonly failures = new Map<string, FailureState>();
  private readonly inboxTable: string;
  private readonly maxRun: number;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  /** Partitions per consumed topic, for the partitioning contract (partition-contract.ts). */
  private readonly partitionCounts = new Map<string, number>();

  constructor(private readonly options: ReliableConsumerOptions) {
    this.retry = validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...options.retry });
    this.inboxTable = `${quoteIdentifier(options.schema)}.finmesh_inbox`;
    this.maxRun = options.maxRecordsPerTransaction ?? 500;
  }

  /** The consumer group and topics this consumer reads (for lag and dead-letter depth metrics). */
  get subscription(): { readonly groupId: string; readonly topics: readonly string[]; readonly deadLetterTopics: readonly string[] } {
    const { groupId, topics } = this.options;
    return { groupId, topics, deadLetterTopics: [...new Set(topics.map((t) => this.deadLetterTopicOf(t)))] };
  }

  async start(): Promise<void> {
    const o = this.options;
    await ensureInboxTable(o.dataSource, o.schema);
    await this.ensureDeadLetterTopics();
    await this.loadPartitionCounts();
    this.producer = o.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = o.kafka.consumer({
      groupId: o.groupId,
      maxBytesPerPartition: 2 * 1024 * 1024,
      maxWaitTimeInMs: o.maxWaitTimeInMs ?? 250,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...o.topics], fromBeginning: o.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: true,
      autoCommitInterval: 500,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: o.partitionsConsumedConcurrently ?? 4,
      eachBatch: (payload) => this.processBatch(payload),
    });
  }

  async stop(): Promise<void> {
    // disconnect() lets the running batches finish and commits their resolved offsets.
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = undefined;
    this.producer = undefined;
  }

  private async ensureDeadLetterTopics(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const wanted = [...new Set(this.options.topics.map((t) => this.deadLetterTopicOf(t)))].filter((t) => !existing.has(t));
      if (wanted.length > 0) {
        await createTopicsAndWait(
          admin,
          wanted.map((topic) => ({ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '-1' }] })),
        );
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** Reads how many partitions each consumed topic has (again when a record shows a topic grew). */
  private async loadPartitionCounts(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [...this.options.topics] });
      for (const t of topics) this.partitionCounts.set(t.name, t.partitions.length);
    } finally {
      await admin.disconnect();
    }
  }

  /** The contract's breach, when this keyed record is on another partition than its key's. */
  private async misrouted(topic: string, partition: number, message: KafkaMessage): Promise<WrongPartitionError | undefined> {
    if (message.key === null || message.key === undefined) return undefined;
    if (partition >= (this.partitionCounts.get(topic) ?? 0)) await this.loadPartitionCounts();
    const partitions = this.partitionCounts.get(topic);
    if (partitions === undefined) return undefined;
    const key = Buffer.isBuffer(message.key) ? message.key : Buffer.from(message.key);
    const expected = expectedPartition(topic, key, partitions);
    return expected === partition ? undefined : new WrongPartitionError(topic, key, partition, expected, partitions);
  }

  private deadLetterTopicOf(topic: string): string {
    return (this.options.deadLetterTopic ?? defaultDeadLetterTopic)(topic);
  }

  private async processBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    let i = 0;
    while (i < messages.length && isRunning() && !isStale()) {
      if (this.databaseSaturated()) {
        // Backpressure: hand the partition back instead of queueing work in memory.
        this.stats.backpressurePauses++;
        const resume = pause();
        void this.waitForDatabaseCapacity().then(resume);
        return;
      }
      const run: DecodedRecord[] = [];
      let problem: { index: number; error: unknown } | undefined;
      for (let j = i; j < messages.length && run.length < this.maxRun; j++) {
        const message = messages[j]!;
        const wrongPartition = await this.misrouted(topic, partition, message);
        if (wrongPartition) {
          problem = { index: j, error: wrongPartition };
          break;
        }
        try {
          const decoded = await this.options.codec.decode(message.value);
          // The contract's business rules, for what this consumer applies: a breach is
          // dead-lettered as BUSINESS_RULE_VIOLATION naming the rule, never applied.
          if (this.handles(decoded.event)) this.options.codec.assertBusinessRules(decoded.event, decoded.value);
          run.push({ message, decoded, eventId: eventIdOf(decoded, message) });
        } catch (error) {
          problem = { index: j, error };
          break;
        }
      }
      if (run.length > 0) {
        const outcome = await this.applyRun(topic, partition, run);
        if (outcome.committed > 0) resolveOffset(run[outcome.committed - 1]!.message.offset);
        if (outcome.infrastructure !== undefined) {
          this.options.logger.warn({ err: outcome.infrastructure, topic, partition }, 'database unavailable; pausing partition');
          const resume = pause();
          setTimeout(resume, backoffDelayMs(this.retry, 3));
          return;
        }
        if (outcome.failure) problem = { index: i + outcome.failure.index, error: outcome.failure.error };
        else i += run.length;
        await heartbeat();
      }
      if (problem) {
        const message = messages[problem.index]!;
        const retryInMs = await this.onRecordFailure(topic, partition, message, problem.error);
        if (retryInMs !== undefined) {
          const resume = pause();
          setTimeout(resume, retryInMs);
          return;
        }
        resolveOffset(message.offset);
        i = problem.index + 1;
      }
    }
  }

  /** Applies a run in one transaction; on a handler failure re-applies the good prefix alone. */
  private async applyRun(topic: string, partition: number, run: readonly DecodedRecord[], batched = true): Promise<RunOutcome> {
    try {
      await this.transaction(topic, partition, run, batched);
      return { committed: run.length };
    } catch (err) {
      if (!(err instanceof RecordFailure)) return { committed: 0, infrastructure: err };
      // A batch call failed: replay the run one record per call to find the record at fault.
      if (err.fromBatch) return this.applyRun(topic, partition, run, false);
      if (err.index === 0) return { committed: 0, failure: { index: 0, error: err.cause } };
      const prefix = await this.applyRun(topic, partition, run.slice(0, err.index), batched);
      return prefix.committed === err.index ? { committed: err.index, failure: { index: err.index, error: err.cause } } : prefix;
    }
  }

  private handles(event: EventName): boolean {
    return this.options.handlers[event] !== undefined || this.options.batchHandlers?.[event] !== undefined;
  }

  private async transaction(topic: string, partition: number, run: readonly DecodedRecord[], batched: boolean): Promise<void> {
    const o = this.options;
    const handled = run.filter((r) => this.handles(r.decoded.event));
    this.stats.unhandledSkipped += run.length - handled.length;
    if (handled.length === 0) return;
    await withBatchSpan(
      { topic, partition, consumerGroup: o.groupId, count: handled.length, recordHeaders: handled.map((r) => r.message.headers) },
      () => this.transactionInSpan(topic, partition, run, handled, batched),
    );
  }

  private async transactionInSpan(
    topic: string,
    partition: number,
    run: readonly DecodedRecord[],
    handled: readonly DecodedRecord[],
    batched: boolean,
  ): Promise<void> {
    const o = this.options;
    const qr: QueryRunner = o.dataSource.createQueryRunner();
    const afterCommit: (() => void)[] = [];
    await qr.connect();
    try {
      await qr.startTransaction();
      const hashes = new Map(handled.map((r) => [r, o.codec.contentDigest(r.message.value!, r.decoded)]));
      const inserted = (await qr.query(
        `INSERT INTO ${this.inboxTable} (consumer_group, event_id, topic, kafka_partition, kafka_offset, content_hash)
         SELECT $1, e.id, $2, $3, e.off, e.h FROM unnest($4::text[], $5::bigint[], $6::text[]) AS e(id, off, h)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [o.groupId, topic, partition, handled.map((r) => r.eventId), handled.map((r) => r.message.offset), handled.map((r) => hashes.get(r)!)],
      )) as { event_id: string }[];
      const fresh = new Set(inserted.map((r) => r.event_id));
      await this.refuseConflicts(qr, run, hashes, fresh);
      // delete(): the same event twice in one run is applied once.
      const toApply = [...run.entries()].filter(([, r]) => this.handles(r.decoded.event) && fresh.delete(r.eventId));
      let applied = 0;
      for (let k = 0; k < toApply.length; ) {
        const [index, record] = toApply[k]!;
        const batchHandler = o.batchHandlers?.[record.decoded.event];
        if (batchHandler) {
          // A segment: consecutive records of this type (order across types is kept).
          let end = k + 1;
          if (batched) while (end < toApply.length && toApply[end]![1].decoded.event === record.decoded.event) end++;
          const segment = toApply.slice(k, end);
          const startedAt = performance.now();
          try {
            await batchHandler(segment.map(([, r]) => ({ value: r.decoded.value, context: this.contextFor(qr, topic, partition, r, afterCommit) })));
            this.observeHandler(topic, record.decoded.event, startedAt, false);
          } catch (cause) {
            this.observeHandler(topic, record.decoded.event, startedAt, true);
            throw new RecordFailure(index, cause, segment.length > 1);
          }
          applied += segment.length;
          k = end;
          continue;
        }
        const handler = o.handlers[record.decoded.event]!;
        const startedAt = performance.now();
        try {
          await withProcessSpan(
            {
              topic,
              partition,
              offset: record.message.offset,
              key: record.message.key,
              eventId: record.eventId,
              eventType: record.decoded.event,
              consumerGroup: o.groupId,
              headers: record.message.headers ?? {},
            },
            () => handler(record.decoded.value, this.contextFor(qr, topic, partition, record, afterCommit)),
          );
          this.observeHandler(topic, record.decoded.event, startedAt, false);
        } catch (cause) {
          this.observeHandler(topic, record.decoded.event, startedAt, true);
          throw new RecordFailure(index, cause);
        }
        applied++;
        k++;
      }
      await qr.commitTransaction();
      for (const effect of afterCommit) {
        try {
          effect();
        } catch (err) {
          o.logger.warn({ err, topic, partition }, 'an after-commit effect failed (the transaction is committed)');
        }
      }
      this.stats.transactions++;
      this.stats.applied += applied;
      this.stats.duplicatesSkipped += handled.length - applied;
      this.observeCommitted(topic, handled, new Set(toApply.map(([, r]) => r)));
      for (const r of run) this.failures.delete(failureKey(topic, partition, r.message.offset));
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await qr.release();
    }
  }

  /**
   * One truth per event id: a record whose id was applied before (stored, or earlier in this run)
   * with other content fails as EventIdConflictError (dead-lettered, counted), before any
   * handler of the run ran. Inbox rows from before content digests were kept, or with a digest of
   * an earlier scheme, are not compared.
   */
  private async refuseConflicts(qr: QueryRunner, run: readonly DecodedRecord[], hashes: ReadonlyMap<DecodedRecord, string>, fresh: ReadonlySet<string>): Promise<void> {
    const seen = new Map<string, number>();
    for (const r of hashes.keys()) seen.set(r.eventId, (seen.get(r.eventId) ?? 0) + 1);
    const again = [...seen.entries()].filter(([id, n]) => n > 1 || !fresh.has(id)).map(([id]) => id);
    if (again.length === 0) return;
    const known = new Map(
      (
        (await qr.query(`SELECT event_id, content_hash FROM ${this.inboxTable} WHERE consumer_group = $1 AND event_id = ANY($2::text[]) AND content_hash IS NOT NULL`, [
          this.options.groupId,
          again,
        ])) as { event_id: string; content_hash: string }[]
      ).map((row) => [row.event_id, row.content_hash]),
    );
    for (const [index, record] of run.entries()) {
      const hash = hashes.get(record);
      if (hash === undefined) continue;
      const applied = known.get(record.eventId);
      // Digests of another scheme (inbox rows from before CONTENT_DIGEST_SCHEME) are not comparable.
      if (applied !== undefined && applied.startsWith(CONTENT_DIGEST_SCHEME) && applied !== hash) {
        throw new RecordFailure(index, new EventIdConflictError(record.eventId, applied, hash), false);
      }
    }
  }

  private contextFor(qr: QueryRunner, topic: string, partition: number, record: DecodedRecord, afterCommit: (() => void)[]): HandlerContext {
    const outbox = this.options.outbox;
    return {
      event: record.decoded.event,
      eventId: record.eventId,
      topic,
      partition,
      offset: record.message.offset,
      key: record.message.key?.toString() ?? null,
      headers: record.message.headers ?? {},
      consumerGroup: this.options.groupId,
      schemaId: record.decoded.schemaId,
      manager: qr.manager,
      emit: async (events) => {
        if (!outbox) throw new Error('this consumer was created without an outbox; it cannot emit events');
        await outbox.enqueue(qr, events);
      },
      afterCommit: (effect) => {
        afterCommit.push(effect);
      },
    };
  }

  /** Dead-letters the record (returns undefined) or says in how many ms to retry it. */
  private async onRecordFailure(topic: string, partition: number, message: KafkaMessage, error: unknown): Promise<number | undefined> {
    const failure: ClassifiedFailure = classifyFailure(error);
    const hold = failure.kind === 'transient' ? partitionHoldMs(error) : undefined;
    if (hold !== undefined) {
      // The downstream is down, not this record: wait, and keep the record's budget (see partitionHoldMs).
      const delay = Math.min(this.retry.maxBackoffMs, Math.max(this.retry.initialBackoffMs, hold));
      this.options.logger.warn({ topic, partition, offset: message.offset, code: failure.code, holdMs: delay, error: failure.message }, 'downstream unavailable; holding partition');
      return delay;
    }
    const key = failureKey(topic, partition, message.offset);
    const state = this.failures.get(key) ?? { attempts: 0, firstFailureAt: new Date() };
    state.attempts++;
    const log = { topic, partition, offset: message.offset, code: failure.code, attempts: state.attempts };
    if (failure.kind === 'transient' && state.attempts < this.retry.maxAttempts) {
      this.failures.set(key, state);
      this.stats.retriesScheduled++;
      this.observe((o) => o.retryScheduled?.({ topic, event: eventTypeOf(message), code: failure.code }));
      const delay = backoffDelayMs(this.retry, state.attempts);
      this.options.logger.warn({ ...log, retryInMs: delay, error: failure.message }, 'transient failure; will retry');
      return delay;
    }
    const errorClass = failure.kind === 'permanent' ? 'PERMANENT' : 'TRANSIENT_EXHAUSTED';
    await publishDeadLetter(this.producer!, {
      deadLetterTopic: this.deadLetterTopicOf(topic),
      topic,
      partition,
      message,
      consumerGroup: this.options.groupId,
      failure,
      errorClass,
      attempts: state.attempts,
      firstFailureAt: state.firstFailureAt,
    });
    this.failures.delete(key);
    this.stats.deadLettered++;
    const event = eventTypeOf(message);
    this.observe((o) => {
      o.deadLettered?.({ topic, deadLetterTopic: this.deadLetterTopicOf(topic), event, errorClass });
      if (error instanceof EventIdConflictError) o.eventIdConflict?.({ topic, event });
      o.eventsConsumed?.({ topic, event, outcome: 'dead_lettered', count: 1 });
    });
    this.options.logger.error({ ...log, error: failure.message }, 'record dead-lettered');
    return undefined;
  }

  private observe(report: (observer: MessagingObserver) => void): void {
    notifyObserver(this.options.observer, this.options.logger, report);
  }

  private observeHandler(topic: string, event: string, startedAt: number, failed: boolean): void {
    const seconds = (performance.now() - startedAt) / 1000;
    this.observe((o) => o.handlerFinished?.({ topic, event, seconds, failed }));
  }

  /** After a commit: which handled records were applied and which were inbox duplicates, per event type. */
  private observeCommitted(topic: string, handled: readonly DecodedRecord[], applied: ReadonlySet<DecodedRecord>): void {
    if (!this.options.observer?.eventsConsumed) return;
    const outcomes = { applied: handled.filter((r) => applied.has(r)), duplicate: handled.filter((r) => !applied.has(r)) };
    this.observe((o) => {
      for (const outcome of ['applied', 'duplicate'] as const) {
        for (const [event, count] of countBy(outcomes[outcome], (r) => r.decoded.event)) o.eventsConsumed?.({ topic, event, outcome, count });
      }
    });
  }

  private pool(): Pool | undefined {
    return postgresPoolOf(this.options.dataSource);
  }

  private databaseSaturated(): boolean {
    const pool = this.pool();
    return pool !== undefined && pool.waitingCount > 0;
  }

  private async waitForDatabaseCapacity(): Promise<void> {
    while (this.databaseSaturated()) await new Promise((r) => setTimeout(r, 50));
  }
}

function failureKey(topic: string, partition: number, offset: string): string {
  return `${topic}/${partition}/${offset}`;
}

function eventTypeOf(message: KafkaMessage): string {
  return kafkaHeaderString(message.headers, EVENT_HEADERS.eventType) ?? UNKNOWN_EVENT_TYPE;
}

/** The envelope's event id; the header, then the record position, only if a contract lacks one. */
function eventIdOf(decoded: DecodedEvent, message: KafkaMessage): string {
  const envelope = (decoded.value as { envelope?: { eventId?: unknown } } | null)?.envelope;
  if (typeof envelope?.eventId === 'string') return envelope.eventId;
  const header = message.headers?.['finmesh-event-id'];
  if (header) return header.toString();
  return `offset:${message.offset}`;
}
