import type { Admin } from 'kafkajs';

/** How far one consumer group is behind on one partition. */
export interface PartitionLag {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset; null when it never committed one on this partition. */
  readonly committedOffset: string | null;
  /** High watermark: the offset the next record will get. */
  readonly endOffset: string;
  /**
   * Records the group still has to read: end - committed, or end - low watermark when it never
   * committed (a finmesh consumer starts from the beginning). A string: offsets are int64.
   */
  readonly lag: string;
}

export interface GroupLag {
  readonly groupId: string;
  /** Broker group state (Stable, Empty, ...) and live members: lag on an Empty group does not move. */
  readonly state: string;
  readonly members: number;
  readonly totalLag: string;
  readonly partitions: readonly PartitionLag[];
}

export interface ConsumerLagOptions {
  readonly admin: Admin;
  /** Groups to measure; default every consumer group the broker knows. */
  readonly groupIds?: readonly string[];
  /**
   * The topics the group consumes, when the caller knows them (a service knows its subscription):
   * then a partition without any commit yet counts as lagging from its start instead of missing.
   */
  readonly topics?: readonly string[];
  /** Only these topics (e.g. one namespace's); default every topic the group committed on. */
  readonly topicFilter?: (topic: string) => boolean;
}

/**
 * Consumer lag per group and partition, from the group's committed offsets and the partitions'
 * high watermarks. Only partitions of topics the group has committed offsets for are counted:
 * kafkajs cannot read a group's subscription of an Empty group, and a group that never committed
 * on a topic has nothing measurable there yet.
 */
export async function fetchConsumerLag(options: ConsumerLagOptions): Promise<GroupLag[]> {
  const { admin } = options;
  const groupIds = options.groupIds
    ? [...options.groupIds]
    : (await admin.listGroups()).groups.filter((g) => g.protocolType === 'consumer' || g.protocolType === '').map((g) => g.groupId);
  if (groupIds.length === 0) return [];
  const { groups } = await admin.describeGroups(groupIds);
  const ends = new Map<string, Map<number, { low: string; high: string }>>();
  const endsOf = async (topic: string) => {
    let byPartition = ends.get(topic);
    if (!byPartition) {
      byPartition = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, { low: p.low, high: p.high }]));
      ends.set(topic, byPartition);
    }
    return byPartition;
  };
  const existingTopics = new Set(await admin.listTopics());
  const result: GroupLag[] = [];
  for (const groupId of [...groupIds].sort()) {
    const description = groups.find((g) => g.groupId === groupId);
    // With the topics named, partitions the group never committed on come back as -1 and count
    // in full; without them the broker only returns partitions with a commit.
    const subscribed = options.topics?.filter((t) => existingTopics.has(t));
    const committed = subscribed ? await admin.fetchOffsets({ groupId, topics: subscribed }) : await admin.fetchOffsets({ groupId });
    const partitions: PartitionLag[] = [];
    for (const t of committed) {
      // A deleted topic keeps its committed offsets until they expire: nothing to lag behind.
      if (!existingTopics.has(t.topic) || (options.topicFilter && !options.topicFilter(t.topic))) continue;
      const topicEnds = await endsOf(t.topic);
      for (const p of t.partitions) {
        const end = topicEnds.get(p.partition);
        if (!end) continue;
        const hasCommit = p.offset !== '-1' && p.offset !== '';
        const from = hasCommit ? BigInt(p.offset) : BigInt(end.low);
        const lag = BigInt(end.high) - from;
        partitions.push({
          groupId,
          topic: t.topic,
          partition: p.partition,
          committedOffset: hasCommit ? p.offset : null,
          endOffset: end.high,
          lag: (lag < 0n ? 0n : lag).toString(),
        });
      }
    }
    partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    // A group id the caller named that has no offsets at all is still reported (state Dead, lag 0).
    if (partitions.length === 0 && !options.groupIds) continue;
    result.push({
      groupId,
      state: description?.state ?? 'Unknown',
      members: description?.members.length ?? 0,
      totalLag: partitions.reduce((sum, p) => sum + BigInt(p.lag), 0n).toString(),
      partitions,
    });
  }
  return result;
}
