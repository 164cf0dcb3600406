import type { Admin, Kafka, Producer } from 'kafkajs';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { RegistryAdmin, subjectFor, type EventCodec, type EventName } from '@finmesh/contracts';
import { ensureOutboxTable } from '@finmesh/messaging';
import { createTestSchema, createTestTopic, dropTestSchema, env, testCodec, testDataSource, testKafka } from './messaging-fixtures';

/**
 * What most messaging integration tests need, isolated per test: a topic registered for the
 * given events, a database schema (with an `effects` table handlers can write to, and optionally
 * the outbox), connected clients, and one teardown that removes all of it.
 */
export interface MessagingTestBed {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** Idempotent, one request in flight: keeps per-partition order like the relay's producer. */
  readonly producer: Producer;
  readonly codec: EventCodec;
  readonly topic: string;
  readonly schema: string;
  readonly ds: DataSource;
  readonly pool: Pool;
  teardown(): Promise<void>;
}

export interface MessagingTestBedOptions {
  readonly events?: readonly EventName[];
  readonly partitions?: number;
  readonly outbox?: boolean;
}

export async function openMessagingTestBed(options: MessagingTestBedOptions = {}): Promise<MessagingTestBed> {
  const kafka = testKafka();
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([admin.connect(), producer.connect()]);
  const events = options.events ?? ['InvoiceReceived'];
  const topic = await createTestTopic(admin, events, options.partitions ?? 3);
  const schema = await createTestSchema();
  const ds = await testDataSource(schema);
  await ds.query('CREATE TABLE effects (id bigserial PRIMARY KEY, event_id text NOT NULL, invoice_id text)');
  if (options.outbox) await ensureOutboxTable(ds, schema);
  const pool = new Pool({ connectionString: env.databaseUrl, max: 3 });
  return {
    kafka,
    admin,
    producer,
    codec: testCodec(),
    topic,
    schema,
    ds,
    pool,
    teardown: async () => {
      await admin.deleteTopics({ topics: [topic, `${topic}.dlt`] }).catch(() => undefined);
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      await ds.destroy();
      await pool.end();
      await dropTestSchema(schema);
      const registry = new RegistryAdmin(env.registryUrl);
      await Promise.all(events.map((e) => registry.deleteSubject(subjectFor(e, topic)).catch(() => undefined)));
    },
  };
}

/** Effect rows per event id in the bed's `effects` table. */
export async function effectsPerEvent(bed: Pick<MessagingTestBed, 'ds'>): Promise<Map<string, number>> {
  const rows = (await bed.ds.query('SELECT event_id, count(*)::int AS n FROM effects GROUP BY event_id')) as { event_id: string; n: number }[];
  return new Map(rows.map((r) => [r.event_id, r.n]));
}
