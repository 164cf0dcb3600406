/**
 * `npm run bench:backbone [-- --events 200000 --naive-events 10000]`
 *
 * The finmesh backbone end to end on the real local stack, against Kafka's own perf tools and the
 * naive NestJS alternative, measured in one run on one broker:
 *   1. write N InvoiceReceived events into a service's transactional outbox (batches of 500 per transaction);
 *   2. outbox_publish_eps: the relay publishes all N (idempotent producer, acks=all);
 *   3. idempotent_consume_eps: the ReliableConsumer applies all N (inbox + one effect row per event);
 *   4. e2e latency under a steady flow: outbox commit → relay → Kafka → consumer handler;
 *   5. kafka_raw_produce_eps / kafka_raw_consume_eps: ProducerPerformance / ConsumerPerformance,
 *      same record count and size;
 *   6. naive_consume_eps: stock @nestjs/microservices Kafka transport, JSON, one transaction per message.
 * Prints the figures and writes bench/results/backbone.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { EventCodec, kafkaJsConnection, localSchemaSource, RegistryAdmin, sampleValue, subjectFor } from '@finmesh/contracts';
import { ensureOutboxTable, OutboxRelay, OutboxWriter, ReliableConsumer } from '@finmesh/messaging';
import { benchEnv, cliInt, perSecond, REPO_ROOT, runCli } from './bench-support';
import { runKafkaRawPerf } from './kafka-perf-tools';
import { runNaiveNestConsumer } from './naive-nest-consumer';

const logger = pino({ level: process.env['FINMESH_BENCH_VERBOSE'] === '1' ? 'info' : 'warn' });
const registryUrl = process.env['FINMESH_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const PARTITIONS = 12;
const WRITE_BATCH = 500;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function progress(message: string): void {
  process.stderr.write(`[bench:backbone] ${message}\n`);
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<Record<string, unknown>> {
  const argv = process.argv.slice(2);
  const events = cliInt(argv, 'events', 200_000);
  const naiveEvents = cliInt(argv, 'naive-events', 10_000);
  const latencyEvents = cliInt(argv, 'latency-events', 10_000);
  const latencyRate = cliInt(argv, 'latency-rate', 2_000);
  const { kafka: kafkaSettings, databaseUrl } = benchEnv();

  const kafka = new Kafka({ clientId: 'bench-backbone', ...kafkaJsConnection(kafkaSettings), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `finmesh.bench.invoice.${randomUUID().slice(0, 8)}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await new RegistryAdmin(registryUrl).register(subjectFor('InvoiceReceived', topic), localSchemaSource().latestSchema('InvoiceReceived'));
  const codec = EventCodec.create(registryUrl, localSchemaSource());

  const producerSchema = `bench_producer_${randomUUID().slice(0, 8)}`;
  const consumerSchema = `bench_consumer_${randomUUID().slice(0, 8)}`;
  const dataSource = (schema: string): DataSource =>
    new DataSource({ type: 'postgres', url: databaseUrl, schema, extra: { max: 10, options: `-c search_path=${schema}` } });
  const setup = new Pool({ connectionString: databaseUrl, max: 1 });
  await setup.query(`CREATE SCHEMA "${producerSchema}"; CREATE SCHEMA "${consumerSchema}"`);
  await setup.query(
    `CREATE TABLE "${consumerSchema}".invoice_effects (event_id text NOT NULL, invoice_id text NOT NULL, gross_amount numeric(19,4) NOT NULL, currency text NOT NULL, occurred_at timestamptz NOT NULL)`,
  );
  const producerDs = await dataSource(producerSchema).initialize();
  const consumerDs = await dataSource(consumerSchema).initialize();
  await ensureOutboxTable(producerDs, producerSchema);
  const writer = new OutboxWriter(codec, producerSchema, () => topic);

  const template = sampleValue(localSchemaSource().latestSchema('InvoiceReceived'), 'logical') as Record<string, unknown> & {
    envelope: Record<string, unknown>;
    totals: { gross: { amount: string; currency: string } };
  };
  const makeEvent = (i: number): { event: 'InvoiceReceived'; key: string; value: never } => {
    const invoiceId = `INV-${i}`;
    return {
      event: 'InvoiceReceived',
      key: invoiceId,
      value: {
        ...template,
        invoiceId,
        envelope: { ...template.envelope, eventId: randomUUID(), occurredAt: new Date(), correlationId: invoiceId, causationId: null },
      } as never,
    };
  };
  const sampleBytes = (await codec.encode('InvoiceReceived', makeEvent(0).value, topic)).bytes.length;

  // 1. Writes into the outbox (the service side).
  progress(`writing ${events} events into the outbox (${sampleBytes}-byte records)`);
  const writeStarted = Date.now();
  for (let i = 0; i < events; i += WRITE_BATCH) {
    const batch = Array.from({ length: Math.min(WRITE_BATCH, events - i) }, (_, k) => makeEvent(i + k));
    await producerDs.transaction((tx) => writer.enqueue(tx, batch));
  }
  const writeMs = Date.now() - writeStarted;

  // 2. The relay publishes the backlog.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const relayPool = new Pool({ connectionString: databaseUrl, max: 2 });
  const relay = new OutboxRelay({ pool: relayPool, connectionString: databaseUrl, schema: producerSchema, producer, logger, batchSize: 2000 });
  progress('relay publishing the backlog');
  const publishStarted = Date.now();
  relay.start();
  await waitFor('relay to publish the backlog', () => relay.published >= events, 600_000);
  const publishMs = Date.now() - publishStarted;

  // 3. The idempotent consumer applies the backlog.
  const latencies: number[] = [];
  let measureLatency = false;
  const consumer = new ReliableConsumer({
    kafka,
    groupId: `bench-${randomUUID().slice(0, 8)}`,
    topics: [topic],
    dataSource: consumerDs,
    schema: consumerSchema,
    codec,
    logger,
    partitionsConsumedConcurrently: 6,
    maxRecordsPerTransaction: 1000,
    handlers: {},
    // The batch form: one multi-row INSERT per run of records, in the inbox transaction.
    batchHandlers: {
      InvoiceReceived: async (items) => {
        const rows = items.map(({ value }) => value as { invoiceId: string; envelope: { occurredAt: Date }; totals: { gross: { amount: string; currency: string } } });
        await items[0]!.context.manager.query(
          `INSERT INTO invoice_effects (event_id, invoice_id, gross_amount, currency, occurred_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::text[], $5::timestamptz[])`,
          [
            items.map((i) => i.context.eventId),
            rows.map((r) => r.invoiceId),
            rows.map((r) => r.totals.gross.amount),
            rows.map((r) => r.totals.gross.currency),
            rows.map((r) => r.envelope.occurredAt),
          ],
        );
        if (measureLatency) {
          const now = Date.now();
          for (const r of rows) latencies.push(now - r.envelope.occurredAt.getTime());
        }
      },
    },
  });
  progress('consumer applying the backlog');
  await consumer.start();
  await waitFor('first record applied', () => consumer.stats.applied > 0, 120_000);
  const consumeStarted = Date.now();
  const firstBatch = consumer.stats.applied;
  await waitFor('consumer to apply the backlog', () => consumer.stats.applied >= events, 900_000);
  const consumeMs = Date.now() - consumeStarted;
  const consumeEps = perSecond(events - firstBatch, consumeMs);

  // 4. End-to-end latency under a steady flow (relay and consumer idle-waiting, as in production).
  progress(`e2e latency: ${latencyEvents} events at ~${latencyRate}/s`);
  measureLatency = true;
  const perTick = Math.max(1, Math.round(latencyRate / 100));
  for (let i = 0; i < latencyEvents; i += perTick) {
    const tickStarted = Date.now();
    const batch = Array.from({ length: Math.min(perTick, latencyEvents - i) }, (_, k) => makeEvent(events + i + k));
    await producerDs.transaction((tx) => writer.enqueue(tx, batch));
    await new Promise((r) => setTimeout(r, Math.max(0, 10 - (Date.now() - tickStarted))));
  }
  await waitFor('latency events applied', () => latencies.length >= latencyEvents, 120_000);
  const sorted = [...latencies].sort((a, b) => a - b);

  const effects = ((await setup.query(`SELECT count(*)::int AS n FROM "${consumerSchema}".invoice_effects`)).rows as { n: number }[])[0]?.n;
  await consumer.stop();
  await relay.stop();
  await producer.disconnect();
  await Promise.all([producerDs.destroy(), consumerDs.destroy(), relayPool.end()]);
  await setup.query(`DROP SCHEMA "${producerSchema}" CASCADE; DROP SCHEMA "${consumerSchema}" CASCADE`);
  await setup.end();
  await admin.deleteTopics({ topics: [topic, `${topic}.dlt`] }).catch(() => undefined);
  await admin.disconnect();
  if (effects !== events + latencyEvents) throw new Error(`expected ${events + latencyEvents} effect rows, found ${effects}`);

  // 5. Kafka's own tools, same broker, same record count and size.
  progress('Kafka ProducerPerformance / ConsumerPerformance');
  const raw = await runKafkaRawPerf({ kafka: kafkaSettings, records: events, recordSize: sampleBytes, partitions: PARTITIONS });

  // 6. The naive NestJS alternative.
  progress(`naive NestJS Kafka transport on ${naiveEvents} events`);
  const naive = await runNaiveNestConsumer({ kafka: kafkaSettings, databaseUrl, events: naiveEvents, partitions: PARTITIONS });

  const result = {
    benchmark: 'backbone',
    measured_at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    events,
    record_bytes: sampleBytes,
    partitions: PARTITIONS,
    outbox_write_eps: perSecond(events, writeMs),
    outbox_publish_eps: perSecond(events, publishMs),
    idempotent_consume_eps: consumeEps,
    e2e_events: latencyEvents,
    e2e_rate_eps: latencyRate,
    e2e_p50_ms: percentile(sorted, 50),
    e2e_p99_ms: percentile(sorted, 99),
    e2e_max_ms: sorted[sorted.length - 1] ?? NaN,
    kafka_raw_produce_eps: raw.kafka_raw_produce_eps,
    kafka_raw_consume_eps: raw.kafka_raw_consume_eps,
    naive_events: naiveEvents,
    naive_consume_eps: naive.naive_consume_eps,
    idempotent_vs_naive: Number((consumeEps / naive.naive_consume_eps).toFixed(1)),
    consumer_transactions: consumer.stats.transactions,
    targets: { idempotent_consume_eps: 20_000, idempotent_vs_naive: 10 },
  };
  const out = path.join(REPO_ROOT, 'bench/results/backbone.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  progress(`written to ${path.relative(REPO_ROOT, out)}`);
  return result;
}

runCli(main);
