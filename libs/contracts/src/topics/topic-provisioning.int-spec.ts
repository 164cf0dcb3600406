import { env, provisionTestNamespace, testKafka } from '@finmesh/testing';
import { RegistryAdmin } from '../registry/registry-admin';
import { ALL_TOPICS, prefixedTopics, subjectFor, topicNameFor } from './topic-catalog';
import { ensureTopics, TopicDriftError } from './topic-provisioning';

describe('catalog topics on the real broker', () => {
  const kafka = testKafka('topics-test');
  const admin = kafka.admin();
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('lists every catalog topic with the catalog partition count (provisioned by the test setup)', async () => {
    const listed = await admin.listTopics();
    expect(listed).toEqual(expect.arrayContaining(ALL_TOPICS.map((t) => t.name)));
    const metadata = await admin.fetchTopicMetadata({ topics: ALL_TOPICS.map((t) => t.name) });
    for (const spec of ALL_TOPICS) {
      expect(metadata.topics.find((t) => t.name === spec.name)?.partitions).toHaveLength(spec.partitions);
    }
  });

  it('keeps history forever on catalog topics so read models can be rebuilt', async () => {
    const configs = await admin.describeConfigs({
      resources: ALL_TOPICS.map((t) => ({ type: 2, name: t.name, configNames: ['retention.ms'] })),
      includeSynonyms: false,
    });
    for (const r of configs.resources) expect(r.configEntries[0]?.configValue).toBe('-1');
  });

  it('is idempotent and refuses to silently change a partition count', async () => {
    const again = await ensureTopics(admin, ALL_TOPICS, { replicationFactor: 1 });
    expect(again.every((s) => s.action === 'exists')).toBe(true);
    const first = ALL_TOPICS[0]!;
    await expect(ensureTopics(admin, [{ ...first, partitions: first.partitions + 1 }], { replicationFactor: 1 })).rejects.toBeInstanceOf(
      TopicDriftError,
    );
  });
});

describe('a prefixed namespace of the catalog', () => {
  it('creates every catalog topic under the prefix and registers its subjects there', async () => {
    const ns = await provisionTestNamespace();
    try {
      const admin = testKafka().admin();
      await admin.connect();
      const topics = await admin.listTopics();
      await admin.disconnect();
      expect(topics).toEqual(expect.arrayContaining(prefixedTopics(ns.prefix).map((t) => t.name)));
      // Asked per subject: the registry's subject list is paged and holds other runs' subjects too.
      const versions = await new RegistryAdmin(env.registryUrl).listVersions(subjectFor('InvoiceReceived', topicNameFor('InvoiceReceived', ns.prefix)));
      expect(versions).toEqual([1]);
      expect(topicNameFor('InvoiceReceived', ns.prefix)).toBe(`${ns.prefix}finmesh.invoice.v1`);
    } finally {
      await ns.cleanup();
    }
  });
});
