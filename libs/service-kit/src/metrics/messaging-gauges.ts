import type { Logger } from 'pino';
import { outboxBacklog } from '@finmesh/messaging';
import type { DatabaseConnection } from '../database/database-connection';
import type { KafkaConnection } from '../kafka/kafka-connection';
import { CachedSource } from './cached-source';
import { readConsumerLag, readTopicDepths } from './kafka-offsets';
import { MESSAGING_METRICS } from './messaging-metrics';
import type { GaugeSample, ServiceMetrics } from './service-metrics';

/** What this service consumes: its group, topics and their dead-letter topics. */
export interface ConsumerSubscription {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly deadLetterTopics: readonly string[];
}

export interface MessagingGaugeSources {
  readonly kafka: KafkaConnection;
  readonly database: DatabaseConnection;
  readonly schema: string;
  /** The running consumers' subscriptions (none before the consumers start). */
  readonly subscriptions: () => readonly ConsumerSubscription[];
  readonly logger: Logger;
}

/** Reads cost a round trip: at most one per 5 s, each bounded to 2 s. */
const CACHE = { ttlMs: 5000, timeoutMs: 2000 };

/**
 * Scrape-time gauges of the messaging runtime: consumer lag per partition, dead-letter topic depth
 * and outbox backlog. Read through the service's own admin client and pool, cached (see CachedSource).
 */
export function registerMessagingGauges(metrics: ServiceMetrics, sources: MessagingGaugeSources): void {
  const onError = (what: string) => (err: unknown) => sources.logger.debug({ err, metric: what }, 'metric source unavailable');

  const lag = new CachedSource(
    async () => {
      const admin = await sources.kafka.getAdmin();
      const samples: GaugeSample[] = [];
      for (const s of sources.subscriptions()) {
        for (const p of await readConsumerLag(admin, s.groupId, s.topics)) {
          samples.push({ labels: { consumer_group: s.groupId, topic: p.topic, partition: p.partition }, value: p.lag });
        }
      }
      return samples;
    },
    { ...CACHE, onError: onError(MESSAGING_METRICS.consumerLag.name) },
  );
  metrics.gaugeFromSamples(MESSAGING_METRICS.consumerLag, () => lag.get());

  const dltDepth = new CachedSource(
    async () => {
      const topics = [...new Set(sources.subscriptions().flatMap((s) => s.deadLetterTopics))];
      const depths = await readTopicDepths(await sources.kafka.getAdmin(), topics);
      return depths.map((d): GaugeSample => ({ labels: { topic: d.topic }, value: d.depth }));
    },
    { ...CACHE, onError: onError(MESSAGING_METRICS.deadLetterDepth.name) },
  );
  metrics.gaugeFromSamples(MESSAGING_METRICS.deadLetterDepth, () => dltDepth.get());

  const outbox = new CachedSource(
    async () => {
      const ds = sources.database.dataSource;
      if (!ds.isInitialized) throw new Error('database not connected yet');
      // A read outside a transaction: the DataSource's manager.
      return outboxBacklog(ds.manager, sources.schema);
    },
    { ...CACHE, onError: onError(MESSAGING_METRICS.outboxBacklog.name) },
  );
  metrics.gaugeFromSamples(MESSAGING_METRICS.outboxBacklog, async () => {
    const o = await outbox.get();
    return o && [{ labels: {}, value: o.pending }];
  });
  metrics.gaugeFromSamples(MESSAGING_METRICS.outboxOldestPendingAge, async () => {
    const o = await outbox.get();
    return o && [{ labels: {}, value: o.oldestSeconds }];
  });
}
