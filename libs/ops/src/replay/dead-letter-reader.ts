import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { matchesDeadLetterFilter, type DeadLetterFilter } from './dead-letter-filter';
import { parseDeadLetterRecord, type DeadLetterRecord } from './dead-letter-record';

export interface ReadDeadLettersOptions {
  readonly kafka: Kafka;
  readonly dltTopics: readonly string[];
  readonly filter?: DeadLetterFilter;
  /** Give up (with an error) if the read has not reached the start-time end of every partition. */
  readonly timeoutMs?: number;
}

/** The read did not reach the high watermarks captured at start within the timeout. */
export class DeadLetterReadTimeoutError extends Error {
  override readonly name = 'DeadLetterReadTimeoutError';
  constructor(
    readonly dltTopics: readonly string[],
    readonly pending: readonly string[],
    timeoutMs: number,
  ) {
    super(
      `reading ${dltTopics.join(', ')} did not reach the end of ${pending.join(', ')} within ${timeoutMs} ms ` +
        '(broker slow, or an open transaction holds back the last stable offset)',
    );
  }
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Reads every record of the given DLT topics that existed when the read started, then stops:
 * a bounded snapshot for `dlt list` and replays, not a subscription.
 *
 * The end of each partition is its high watermark fetched before consuming, so records
 * dead-lettered during the read are left for the next run (a replay never chases its own tail).
 * Partitions that are empty at start are not waited for, so empty topics return at once.
 *
 * kafkajs has no manual partition assignment, so this uses a consumer in a throwaway group
 * (random id, auto-commit off: it never commits, it never disturbs a real group) and deletes
 * the group afterwards.
 *
 * Records come back sorted by DLT topic, partition and offset: the order they were
 * dead-lettered in, per partition. A record whose DLT headers are missing or unreadable makes
 * the whole read fail with MalformedDeadLetterError: a DLT writer bug must be seen, not skipped.
 */
export async function readDeadLetters(options: ReadDeadLettersOptions): Promise<DeadLetterRecord[]> {
  const { kafka, dltTopics, filter } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (dltTopics.length === 0) return [];

  const admin = kafka.admin();
  await admin.connect();
  try {
    // end[topic/partition] = high watermark at start; only partitions with records to read.
    const end = new Map<string, bigint>();
    for (const topic of dltTopics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(p.high) > BigInt(p.low)) end.set(`${topic}/${p.partition}`, BigInt(p.high));
      }
    }
    if (end.size === 0) return [];

    const records: DeadLetterRecord[] = [];
    const groupId = `finmesh-dlt-reader-${randomUUID()}`;
    await consumeUntil({ kafka, groupId, dltTopics, end, timeoutMs, onRecord: (r) => records.push(r) });
    // The throwaway group has no offsets and no members any more; deleting it is housekeeping only.
    await admin.deleteGroups([groupId]).catch(() => undefined);

    return records
      .filter((r) => matchesDeadLetterFilter(r, filter))
      .sort((a, b) => a.dltTopic.localeCompare(b.dltTopic) || a.dltPartition - b.dltPartition || compareOffsets(a.dltOffset, b.dltOffset));
  } finally {
    await admin.disconnect();
  }
}

export function compareOffsets(a: string, b: string): number {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

async function consumeUntil(args: {
  kafka: Kafka;
  groupId: string;
  dltTopics: readonly string[];
  end: Map<string, bigint>;
  timeoutMs: number;
  onRecord: (r: DeadLetterRecord) => void;
}): Promise<void> {
  const { kafka, groupId, dltTopics, end, timeoutMs, onRecord } = args;
  const pending = new Set(end.keys());
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });

  let failed: unknown = null;
  let settle: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (settle = resolve));
  const progress = (topic: string, partition: number, lastOffset: string): void => {
    const id = `${topic}/${partition}`;
    const high = end.get(id);
    if (high !== undefined && BigInt(lastOffset) + 1n >= high) pending.delete(id);
    if (pending.size === 0) settle();
  };

  // END_BATCH_PROCESS also fires for batches holding only control records (transaction
  // markers), which eachBatch never sees; without it a partition ending in a marker would
  // never look finished.
  const removeListener = consumer.on(consumer.events.END_BATCH_PROCESS, (e) => progress(e.payload.topic, e.payload.partition, e.payload.lastOffset));
  // A consumer that crashes without restarting would otherwise leave the read waiting for the timeout.
  const removeCrashListener = consumer.on(consumer.events.CRASH, (e) => {
    if (e.payload.restart) return;
    failed = e.payload.error;
    settle();
  });
  const timer = setTimeout(() => {
    failed = new DeadLetterReadTimeoutError(dltTopics, [...pending], timeoutMs);
    settle();
  }, timeoutMs);

  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...dltTopics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (failed || pending.size === 0) return;
        for (const message of batch.messages) {
          const high = end.get(`${batch.topic}/${batch.partition}`);
          // Records produced after the read started are past the snapshot: not part of this read.
          if (high === undefined || BigInt(message.offset) >= high) continue;
          try {
            onRecord(parseDeadLetterRecord(batch.topic, batch.partition, message));
          } catch (e) {
            failed = e;
            settle();
            return;
          }
        }
      },
    });
    await done;
  } finally {
    clearTimeout(timer);
    removeListener();
    removeCrashListener();
    await consumer.disconnect();
  }
  if (failed) throw failed;
}
