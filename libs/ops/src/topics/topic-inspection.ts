import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { defaultDeadLetterTopic } from '@finmesh/messaging';
import type { TopicSpec } from '@finmesh/contracts';

/** A catalog topic as the broker has it, with what differs from the catalog spelled out. */
export interface TopicInspection {
  readonly topic: string;
  readonly aggregate: string;
  readonly exists: boolean;
  readonly expectedPartitions: number;
  readonly partitions: number | null;
  readonly expectedRetentionMs: number;
  readonly retentionMs: number | null;
  /** Sum of the partitions' high watermarks: records ever written (minus none; offsets never go back). */
  readonly endOffsets: readonly { partition: number; low: string; high: string }[];
  readonly records: string | null;
  /** The topic's default dead-letter topic, if the broker has it, and how many records it holds. */
  readonly deadLetterTopic: { readonly topic: string; readonly records: string } | null;
  /** Empty when the topic matches the catalog. */
  readonly problems: readonly string[];
}

/**
 * Compares catalog topics with the broker: existence, partition count, retention, plus the end
 * offsets and the DLT depth an operator needs to judge a topic at a glance.
 */
export async function inspectTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<TopicInspection[]> {
  const existing = new Set(await admin.listTopics());
  const present = specs.filter((s) => existing.has(s.name));
  const retention = new Map<string, number>();
  if (present.length > 0) {
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name, configNames: ['retention.ms'] })),
    });
    for (const r of configs.resources) {
      const value = r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue;
      if (value !== undefined) retention.set(r.resourceName, Number(value));
    }
  }
  const result: TopicInspection[] = [];
  for (const spec of specs) {
    const dlt = defaultDeadLetterTopic(spec.name);
    const deadLetterTopic = existing.has(dlt) ? { topic: dlt, records: countRecords(await admin.fetchTopicOffsets(dlt)) } : null;
    if (!existing.has(spec.name)) {
      result.push({
        topic: spec.name,
        aggregate: spec.aggregate,
        exists: false,
        expectedPartitions: spec.partitions,
        partitions: null,
        expectedRetentionMs: spec.retentionMs,
        retentionMs: null,
        endOffsets: [],
        records: null,
        deadLetterTopic,
        problems: ['missing: run npm run topics:create (with FINMESH_TOPIC_PREFIX for a namespace)'],
      });
      continue;
    }
    const offsets = (await admin.fetchTopicOffsets(spec.name)).sort((a, b) => a.partition - b.partition);
    const retentionMs = retention.get(spec.name) ?? null;
    const problems: string[] = [];
    if (offsets.length !== spec.partitions) problems.push(`has ${offsets.length} partitions, the catalog says ${spec.partitions}`);
    if (retentionMs !== spec.retentionMs) problems.push(`retention.ms is ${retentionMs ?? 'unknown'}, the catalog says ${spec.retentionMs}`);
    result.push({
      topic: spec.name,
      aggregate: spec.aggregate,
      exists: true,
      expectedPartitions: spec.partitions,
      partitions: offsets.length,
      expectedRetentionMs: spec.retentionMs,
      retentionMs,
      endOffsets: offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high })),
      records: countRecords(offsets),
      deadLetterTopic,
      problems,
    });
  }
  return result;
}

function countRecords(offsets: readonly { low: string; high: string }[]): string {
  return offsets.reduce((sum, o) => sum + (BigInt(o.high) - BigInt(o.low)), 0n).toString();
}
