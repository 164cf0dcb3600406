import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  createTopicsAndWait,
  EVENT_NAMES,
  EventCodec,
  kafkaJsConnection,
  type EventName,
  localSchemaSource,
  prefixedIngressTopics,
  prefixedTopics,
  provisionPlatform,
  RegistryAdmin,
  sampleValue,
  subjectFor,
  topicNameFor,
} from '@finmesh/contracts';
import { testEnvironment, uniqueName } from './test-environment';

/**
 * Shared set-up for messaging integration tests: each test gets its own topic (registered under
 * its own subjects), its own database schema and its own consumer group, so suites can run in
 * parallel on one broker without seeing each other's records.
 */
export const env = testEnvironment();

export function testKafka(clientId = uniqueName('test')): Kafka {
  return new Kafka({ clientId, ...kafkaJsConnection(env.kafka), logLevel: logLevel.NOTHING });
}

export function testCodec(): EventCodec {
  return EventCodec.create(env.registryUrl, localSchemaSource());
}

export async function createTestTopic(admin: Admin, events: readonly EventName[], partitions = 3): Promise<string> {
  const topic = uniqueName('finmesh-test');
  await createTopicsAndWait(admin, [{ topic, numPartitions: partitions }]);
  const registry = new RegistryAdmin(env.registryUrl);
  for (const event of events) await registry.register(subjectFor(event, topic), localSchemaSource().latestSchema(event));
  return topic;
}

export async function createTestSchema(): Promise<string> {
  const schema = uniqueName('test').replace(/-/g, '_');
  await withPg((pg) => pg.query(`CREATE SCHEMA "${schema}"`));
  return schema;
}

export async function dropTestSchema(schema: string): Promise<void> {
  await withPg((pg) => pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

export async function withPg<T>(fn: (pg: Client) => Promise<T>): Promise<T> {
  const pg = new Client({ connectionString: env.databaseUrl });
  await pg.connect();
  try {
    return await fn(pg);
  } finally {
    await pg.end();
  }
}

export async function testDataSource(schema: string, poolSize = 5): Promise<DataSource> {
  const ds = new DataSource({
    type: 'postgres',
    url: env.databaseUrl,
    schema,
    extra: { max: poolSize, options: `-c search_path=${schema}` },
  });
  return ds.initialize();
}

/** A valid InvoiceReceived for invoice `invoiceId` with a fresh (or given) event id. */
export function invoiceReceived(invoiceId: string, eventId: string = randomUUID()): Record<string, unknown> & { envelope: { eventId: string; correlationId: string } } {
  const sample = sampleValue(localSchemaSource().latestSchema('InvoiceReceived'), 'logical') as Record<string, unknown> & {
    envelope: Record<string, unknown>;
  };
  return {
    ...sample,
    invoiceId,
    envelope: { ...sample.envelope, eventId, eventType: 'InvoiceReceived', correlationId: `corr-${invoiceId}`, causationId: null },
  } as Record<string, unknown> & { envelope: { eventId: string; correlationId: string } };
}

/** Polls until `condition` holds or fails with `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

/**
 * A private copy of the whole topic catalog (topics + registered subjects) under a unique prefix,
 * so a test can run real services on "the catalog" without seeing other tests' events.
 * Pass the prefix to services as FINMESH_TOPIC_PREFIX.
 */
export async function provisionTestNamespace(): Promise<{ prefix: string; cleanup: () => Promise<void> }> {
  const prefix = `${uniqueName('it')}.`;
  await provisionPlatform({ kafka: env.kafka, registryUrl: env.registryUrl, replicationFactor: 1, topicPrefix: prefix });
  return {
    prefix,
    cleanup: async () => {
      const admin = testKafka().admin();
      await admin.connect();
      const ingress = prefixedIngressTopics(prefix);
      const names = [...prefixedTopics(prefix), ...ingress].map((t) => t.name);
      const existing = new Set(await admin.listTopics());
      const dlts = names.map((n) => `${n}.dlt`).filter((n) => existing.has(n));
      await admin.deleteTopics({ topics: [...names, ...dlts] }).catch(() => undefined);
      await admin.disconnect();
      // The registry outlives test runs (PostgreSQL storage): remove the namespace's subjects.
      const registry = new RegistryAdmin(env.registryUrl);
      await Promise.all(EVENT_NAMES.map((e) => registry.deleteSubject(subjectFor(e, topicNameFor(e, prefix))).catch(() => undefined)));
      await Promise.all(ingress.flatMap((t) => t.events.map((e) => registry.deleteSubject(subjectFor(e, t.name)).catch(() => undefined))));
    },
  };
}
