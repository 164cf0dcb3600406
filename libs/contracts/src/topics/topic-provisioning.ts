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
  if (missing.length > 0) await createTopicsAndWait(admin, missing.map((s) => topicConfig(s, options)));
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

/**
 * Creates topics and waits until every partition has a leader. kafkajs' own `waitForLeaders`
 * gives up on UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition"),
 * which a KRaft broker answers for a moment after creation when it is busy: so we poll.
 */
export async function createTopicsAndWait(admin: Admin, topics: ITopicConfig[], timeoutMs = 30_000): Promise<void> {
  await admin.createTopics({ topics, waitForLeaders: false });
  const names = topics.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
      const ready = metadata.length === names.length && metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (ready) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`topics ${names.join(', ')} have no leaders after ${timeoutMs} ms${lastError ? `: ${(lastError as Error).message}` : ''}`);
}
