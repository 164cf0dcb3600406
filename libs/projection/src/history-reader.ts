import type { Consumer, Kafka } from 'kafkajs';
import type { EventCodec } from '@finmesh/contracts';
import { projectedEventOf } from './projected-event';
import type { ProjectedEvent } from './read-model-projection';

/** Where records go; a sink that works synchronously (an in-memory projection) returns nothing. */
export type Sink = (event: ProjectedEvent) => void | Promise<void>;
/** End offsets per `topic:partition`. */
export type OffsetTargets = Map<string, bigint>;

/** How long a rebuild's reader may make no progress while behind its targets before it fails. */
export const READ_STALL_MS = 60_000;

export const topicPartitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/** The end offsets (high watermarks) of every partition of `topics`, and the records they hold. */
export async function endOffsetsOf(kafka: Kafka, topics: readonly string[]): Promise<{ targets: OffsetTargets; starts: OffsetTargets; records: Map<string, number> }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const targets: OffsetTargets = new Map();
    const starts: OffsetTargets = new Map();
    const records = new Map<string, number>();
    for (const topic of topics) {
      let count = 0;
      for (const p of await admin.fetchTopicOffsets(topic)) {
        targets.set(topicPartitionKey(topic, p.partition), BigInt(p.high));
        starts.set(topicPartitionKey(topic, p.partition), BigInt(p.low));
        count += Number(p.high) - Number(p.low);
      }
      records.set(topic, count);
    }
    return { targets, starts, records };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads topics from the beginning with a throw-away consumer group (deleted on close) and hands
 * each record, decoded, to the current sink, strictly one at a time. Swapping the sink is how a
 * rebuild stops writing to memory without stopping the consumer.
 */
export class HistoryReader {
  eventsRead = 0;
  private consumer: Consumer | undefined;
  private sink: Sink = async () => undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly next = new Map<string, bigint>();
  private waiters: (() => void)[] = [];
  private failure: unknown;

  constructor(
    private readonly kafka: Kafka,
    private readonly codec: EventCodec,
    readonly topics: readonly string[],
    private readonly groupId: string,
  ) {}

  async start(sink: Sink): Promise<void> {
    this.sink = sink;
    // Modest fetches: kafkajs copies each response into one fresh buffer. With 64 MB responses,
    // that copying (page faults on new memory) was a fifth of the consume time. Alternating
    // benchmark runs here gave 1 MB per partition / 4 MB per fetch about 15% more events/s than
    // 8 / 64 MB (34-37k against 25-29k).
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxBytesPerPartition: 1024 * 1024, maxBytes: 4 * 1024 * 1024, maxWaitTimeInMs: 100 });
    this.consumer = consumer;
    // A batch may end in records eachBatch never sees: transaction markers of a transactional
    // producer, or aborted records. END_BATCH_PROCESS still reports its last offset. Without it,
    // a partition ending in a marker never reaches its end offset, and the rebuild waits forever.
    consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
      const key = topicPartitionKey(e.payload.topic, e.payload.partition);
      const after = BigInt(e.payload.lastOffset) + 1n;
      if (this.failure === undefined && after > (this.next.get(key) ?? 0n)) this.next.set(key, after);
      this.wake();
    });
    // A consumer that crashes and does not restart would otherwise leave the rebuild waiting.
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) this.fail(new Error(`rebuild reader for ${this.topics.join(', ')} stopped: ${e.payload.error.message}`, { cause: e.payload.error }));
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, heartbeat }) => {
        const key = topicPartitionKey(batch.topic, batch.partition);
        // Offsets are compared as numbers within a batch (a BigInt per record was a visible cost of
        // a rebuild); they are exact up to 2^53, which no partition reaches, and checked anyway.
        // The shared position is written back whenever this handler pauses, and at its end.
        let next = Number(this.next.get(key) ?? 0n);
        const publish = () => {
          if (BigInt(next) > (this.next.get(key) ?? 0n)) this.next.set(key, BigInt(next));
        };
        let processed = 0;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset < next) continue; // redelivered after a rebalance
          try {
            if (!Number.isSafeInteger(offset)) throw new Error('offset beyond 2^53');
            // Promises only where something is asynchronous: a rebuild reads millions of records.
            let event = projectedEventOf(this.codec, batch.topic, batch.partition, message);
            if (event instanceof Promise) {
              publish();
              event = await event;
            }
            // What the live consumer dead-letters (business rule breaches) a rebuild leaves out
            // too, so that a rebuilt read model equals the live one.
            const applied = this.codec.breaksBusinessRules(event.event, event.value) ? undefined : this.sink(event);
            if (applied) {
              publish();
              this.inFlight = applied;
              await applied;
            }
          } catch (err) {
            this.fail(new Error(`rebuild cannot read ${batch.topic}[${batch.partition}]@${message.offset}: ${(err as Error).message}`, { cause: err }));
            return;
          }
          next = offset + 1;
          this.eventsRead++;
          if (++processed % 5000 === 0) {
            publish();
            await heartbeat();
          }
        }
        publish();
        this.wake();
      },
    });
  }

  /**
   * Resolves when every partition in `targets` has been read up to its target offset. Rejects,
   * naming the partitions still behind, when reading makes no progress for `stallMs`. A rebuild
   * that waited forever would hold the switch lock, and with it the live projection, forever.
   */
  async readUntil(targets: OffsetTargets, starts?: OffsetTargets, stallMs = READ_STALL_MS): Promise<void> {
    // A partition whose records were all deleted starts past 0: it begins where it begins.
    for (const [key, start] of starts ?? []) if (!this.next.has(key)) this.next.set(key, start);
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        let position = this.position(targets);
        let movedAt = Date.now();
        timer = setInterval(() => {
          const now = this.position(targets);
          if (now !== position) [position, movedAt] = [now, Date.now()];
          else if (Date.now() - movedAt >= stallMs) reject(new Error(`rebuild reader made no progress for ${Math.round(stallMs / 1000)} s; behind: ${this.behind(targets)}`));
        }, Math.min(1000, stallMs));
        const check = () => {
          if (this.failure) return reject(this.failure);
          for (const [key, end] of targets) if ((this.next.get(key) ?? 0n) < end) return this.waiters.push(check);
          resolve();
        };
        check();
      });
    } finally {
      clearInterval(timer);
    }
  }

  /** How far the partitions of `targets` have been read, as one number that grows with any progress. */
  private position(targets: OffsetTargets): bigint {
    let sum = 0n;
    for (const key of targets.keys()) sum += this.next.get(key) ?? 0n;
    return sum;
  }

  private behind(targets: OffsetTargets): string {
    const lagging = [...targets].filter(([key, end]) => (this.next.get(key) ?? 0n) < end);
    const shown = lagging.slice(0, 5).map(([key, end]) => `${key} at ${this.next.get(key) ?? 0n} of ${end}`);
    return `${shown.join(', ')}${lagging.length > shown.length ? ` and ${lagging.length - shown.length} more` : ''}`;
  }

  /** Routes the next records to a new sink; resolves once the record being applied now is done. */
  async redirect(sink: Sink): Promise<void> {
    this.sink = sink;
    await this.inFlight;
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([this.groupId]).catch(() => undefined);
    await admin.disconnect();
  }

  private fail(err: unknown): void {
    this.failure = err;
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

/** Only the targets of the given topics. */
export function targetsFor(targets: OffsetTargets, topics: readonly string[]): OffsetTargets {
  const wanted = new Set(topics);
  return new Map([...targets].filter(([key]) => wanted.has(key.slice(0, key.lastIndexOf(':')))));
}

/**
 * Splits topics over `workers` so each gets about the same number of records (largest first onto
 * the least loaded). A topic is never split: a projection's rows are written by one topic's events.
 */
export function assignTopics(records: ReadonlyMap<string, number>, workers: number): string[][] {
  const bins = Array.from({ length: Math.max(1, Math.min(workers, records.size)) }, () => ({ topics: [] as string[], load: 0 }));
  for (const [topic, count] of [...records].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    const bin = bins.reduce((min, b) => (b.load < min.load ? b : min));
    bin.topics.push(topic);
    bin.load += count;
  }
  return bins.map((b) => b.topics).filter((t) => t.length > 0);
}
