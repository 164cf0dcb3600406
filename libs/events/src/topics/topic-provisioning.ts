import type { Admin, ITopicConfig } from 'kafkajs';
import type { TopicSpec } from './topic-catalog';

export interface TopicProvisioningOptions {
  /** 1 on a single local broker; 3 in production. */
  readonly replicationFactor: number;
}

export interface TopicState {
  readonly topic: string;
  readonly action: 'created' | 'exists';
  readonly partitions: number;
}

/** A topic exists with a layout the catalog does not allow to be fixed automatically. */
export class TopicDriftError extends Error {
  constructor(readonly topic: string, detail: string) {
    super(`topic ${topic}: ${detail}`);
    this.name = 'TopicDriftError';
  }
}

function topicConfig(spec: TopicSpec, options: TopicProvisioningOptions): ITopicConfig {
  return {
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor: options.replicationFactor,
    configEntries: [
      { name: 'retention.ms', value: String(spec.retentionMs) },
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'min.insync.replicas', value: String(Math.min(2, options.replicationFactor)) },
    ],
  };
}

/**
 * Creates missing catalog topics; leaves existing ones alone but refuses to paper over a partition
 * count that differs from the catalog, because adding partitions re-maps keys to partitions and
 * breaks per-key ordering: that change needs an operator's decision, not a silent fix.
 */
export async function ensureTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  options: TopicProvisioningOptions,
): Promise<TopicState[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing.map((s) => topicConfig(s, options)), waitForLeaders: true });
  }
  const present = specs.filter((s) => existing.has(s.name));
  const metadata = present.length > 0 ? await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) }) : { topics: [] };
  const states: TopicState[] = missing.map((s) => ({ topic: s.name, action: 'created', partitions: s.partitions }));
  for (const t of metadata.topics) {
    const spec = present.find((s) => s.name === t.name);
    if (spec && t.partitions.length !== spec.partitions) {
      throw new TopicDriftError(t.name, `has ${t.partitions.length} partitions, the catalog says ${spec.partitions}`);
    }
    states.push({ topic: t.name, action: 'exists', partitions: t.partitions.length });
  }
  return states;
}
