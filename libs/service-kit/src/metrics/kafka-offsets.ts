import type { Admin } from 'kafkajs';

/** Where a consumer group stands on one partition: records produced but not yet committed by the group. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

export interface TopicDepth {
  readonly topic: string;
  /** Records the topic holds now (end offset minus start offset, summed over partitions). */
  readonly depth: number;
}

interface PartitionOffsets {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

/**
 * Lag of a group on a partition. A group that has committed nothing there yet (offset -1) will
 * read from the start offset (finmesh consumers start from the beginning), so everything retained counts.
 */
export function partitionLag(committed: string, offsets: PartitionOffsets): number {
  const high = BigInt(offsets.high);
  const from = committed === '-1' || committed === '' ? BigInt(offsets.low) : BigInt(committed);
  const lag = high - from;
  return lag > 0n ? Number(lag) : 0;
}

export function topicDepth(offsets: readonly PartitionOffsets[]): number {
  return offsets.reduce((sum, p) => sum + Math.max(0, Number(BigInt(p.high) - BigInt(p.low))), 0);
}

/** The group's lag on every partition of `topics` (admin fetchOffsets vs fetchTopicOffsets). */
export async function readConsumerLag(admin: Admin, groupId: string, topics: readonly string[]): Promise<PartitionLag[]> {
  if (topics.length === 0) return [];
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const lags: PartitionLag[] = [];
  for (const t of committed) {
    const ends = new Map((await admin.fetchTopicOffsets(t.topic)).map((p) => [p.partition, p]));
    for (const p of t.partitions) {
      const end = ends.get(p.partition);
      if (end) lags.push({ topic: t.topic, partition: p.partition, lag: partitionLag(p.offset, end) });
    }
  }
  return lags;
}

/** Records held by each topic (for dead-letter topics: records parked and not purged). */
export async function readTopicDepths(admin: Admin, topics: readonly string[]): Promise<TopicDepth[]> {
  return Promise.all(topics.map(async (topic) => ({ topic, depth: topicDepth(await admin.fetchTopicOffsets(topic)) })));
}
