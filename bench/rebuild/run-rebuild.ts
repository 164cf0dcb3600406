/**
 * Rebuild benchmark (issue 5): how fast the reporting read models are rebuilt from the topics'
 * history, against how fast raw Kafka can be read on the same machine in the same run.
 *
 *   npm run bench:rebuild [-- --events=1000000] [--keep]
 *
 *   --keep leaves the generated namespace in place and prints FINMESH_BENCH_REUSE=<prefix>; with
 *   that variable set, a later run rebuilds from the same history without generating it again.
 *
 *   1. A private namespace of the topic catalog (topics + registered subjects) is filled with a
 *      generated source-to-pay history of at least --events events (suppliers, POs, receipts,
 *      invoices, exceptions, approvals, postings, payments), encoded through the registry.
 *   2. kafka_raw_consume_eps: Kafka's own ConsumerPerformance on a topic of the same size and
 *      record size (the ceiling: no Avro, no projection, no database).
 *   3. rebuild_eps: rebuildReadModels() end to end — read every partition from the beginning,
 *      decode (Avro, registry-resolved), project in memory, COPY into staging tables, switch them
 *      in atomically — divided into the number of events.
 *
 * Prints the figures and writes bench/results/rebuild.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import {
  EVENT_NAMES,
  EventCodec,
  localSchemaSource,
  prefixedTopics,
  provisionPlatform,
  RegistryAdmin,
  subjectFor,
  topicNameFor,
  kafkaJsConnection,
} from '@finmesh/contracts';
import { createReadModelTables, rebuildReadModels, tableChecksum } from '@finmesh/projection';
import { sourceToPayHistory } from '@finmesh/testing';
import { REPORTING_PROJECTION, REPORTING_PROJECTION_MODULE } from '@finmesh/reporting-projector';
import { runKafkaRawPerf } from '../backbone/kafka-perf-tools';
import { benchEnv, cliInt, perSecond, REPO_ROOT, runCli, uniqueSuffix } from '../backbone/bench-support';

const TARGET_EPS = 50_000;
const EVENTS_PER_FLOW = 7.3; // what sourceToPayHistory yields on average
/** Average encoded size of a generated event (measured: 216 bytes), for the raw reference of a kept history. */
const REUSED_RECORD_BYTES = 216;

async function fillHistory(kafka: Kafka, codec: EventCodec, prefix: string, minEvents: number): Promise<{ events: number; bytes: number; ms: number }> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  let events = 0;
  let bytes = 0;
  let pending = new Map<string, Message[]>();
  let pendingCount = 0;
  const flush = async () => {
    if (pendingCount === 0) return;
    await producer.sendBatch({ acks: -1, compression: 0, topicMessages: [...pending].map(([topic, messages]) => ({ topic, messages })) });
    pending = new Map();
    pendingCount = 0;
  };
  let seed = 1;
  while (events < minEvents) {
    const flows = Math.ceil((minEvents - events) / EVENTS_PER_FLOW) + 10;
    for (const e of sourceToPayHistory({ flows, seed: seed++ })) {
      const topic = topicNameFor(e.event, prefix);
      const { bytes: value } = await codec.encode(e.event, e.value, topic);
      const messages = pending.get(topic) ?? [];
      messages.push({ key: e.key, value });
      pending.set(topic, messages);
      events++;
      bytes += value.length;
      if (++pendingCount >= 5000) await flush();
      if (events % 100_000 === 0) process.stderr.write(`  produced ${events.toLocaleString('en-US')} events\n`);
    }
  }
  await flush();
  await producer.disconnect();
  return { events, bytes, ms: Date.now() - started };
}

async function provisionAndFill(kafka: Kafka, codec: EventCodec, registryUrl: string, prefix: string, minEvents: number) {
  await provisionPlatform({ kafka: benchEnv().kafka, registryUrl, replicationFactor: 1, topicPrefix: prefix });
  return fillHistory(kafka, codec, prefix, minEvents);
}

/** A kept history: its size from the topics' offsets (bytes estimated from one fetch is not needed). */
async function measureHistory(kafka: Kafka, topics: readonly string[]): Promise<{ events: number; bytes: number; ms: number }> {
  const admin = kafka.admin();
  await admin.connect();
  let events = 0;
  for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) events += Number(p.high) - Number(p.low);
  await admin.disconnect();
  return { events, bytes: events * REUSED_RECORD_BYTES, ms: 0 };
}

async function deleteNamespace(kafka: Kafka, registryUrl: string, prefix: string, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [...topics] }).catch(() => undefined);
  await admin.disconnect();
  const registry = new RegistryAdmin(registryUrl);
  await Promise.all(EVENT_NAMES.map((e) => registry.deleteSubject(subjectFor(e, topicNameFor(e, prefix))).catch(() => undefined)));
}

/** Jiffies of all cores from /proc/stat (Linux), to see how much of the machine a rebuild used. */
function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** CPU seconds during the rebuild: the machine's busy time, this process's share, and the rest (database, broker). */
function cpuAccount(before: ReturnType<typeof machineCpu>, after: ReturnType<typeof machineCpu>, own: NodeJS.CpuUsage) {
  if (!before || !after) return undefined;
  const hz = 100; // USER_HZ on Linux
  const round = (n: number) => Math.round(n * 10) / 10;
  const busy = (after.busy - before.busy) / hz;
  const ownSeconds = (own.user + own.system) / 1e6;
  return { machine_busy: round(busy), machine_total: round((after.total - before.total) / hz), rebuild_process: round(ownSeconds), others: round(busy - ownSeconds) };
}

async function main(): Promise<Record<string, unknown>> {
  const minEvents = cliInt(process.argv.slice(2), 'events', 1_000_000);
  const { kafka: kafkaSettings, databaseUrl } = benchEnv();
  const registryUrl = process.env['FINMESH_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
  const suffix = uniqueSuffix();
  const reuse = process.env['FINMESH_BENCH_REUSE'];
  const keep = process.argv.includes('--keep') || reuse !== undefined;
  const prefix = reuse ?? `bench-rebuild-${suffix}.`;
  const schema = `bench_reporting_${suffix}`;
  const kafka = new Kafka({ clientId: 'finmesh-bench-rebuild', ...kafkaJsConnection(kafkaSettings), logLevel: logLevel.NOTHING });
  const codec = EventCodec.create(registryUrl, localSchemaSource());
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const topics = prefixedTopics(prefix).map((t) => t.name);

  console.log(`rebuild benchmark: >= ${minEvents.toLocaleString('en-US')} events, namespace ${prefix}, schema ${schema}`);
  try {
    const filled = reuse ? await measureHistory(kafka, topics) : await provisionAndFill(kafka, codec, registryUrl, prefix, minEvents);
    const recordSize = Math.round(filled.bytes / filled.events);
    console.log(`  history: ${filled.events.toLocaleString('en-US')} events (${recordSize} bytes avg) produced in ${(filled.ms / 1000).toFixed(1)} s`);

    console.log('  raw Kafka reference (ConsumerPerformance, same record count and size)...');
    const raw = await runKafkaRawPerf({ kafka: kafkaSettings, records: filled.events, recordSize, partitions: 12 });

    // The live schema the rebuild replaces (as a running projector would have it).
    await createReadModelTables(pool, schema, REPORTING_PROJECTION.tables);
    console.log('  rebuilding...');
    const machineBefore = machineCpu();
    const processBefore = process.cpuUsage();
    let lastPrinted = 0;
    const result = await rebuildReadModels({
      kafka,
      pool,
      codec,
      projection: REPORTING_PROJECTION,
      schema,
      topics,
      logger: pino({ level: 'warn' }),
      checksums: false, // a verification extra (full scan of every table), timed separately below
      workers: { kafka: kafkaSettings, registryUrl, databaseUrl, projection: REPORTING_PROJECTION_MODULE },
      onProgress: (p) => {
        if (Date.now() - lastPrinted < 5000) return;
        lastPrinted = Date.now();
        process.stderr.write(`  ${p.phase} ${p.eventsDone.toLocaleString('en-US')}/${p.eventsTotal.toLocaleString('en-US')} events, ${p.ratePerSec.toLocaleString('en-US')} events/s\n`);
      },
    });
    const cpu = cpuAccount(machineBefore, machineCpu(), process.cpuUsage(processBefore));
    const checksumStarted = Date.now();
    const tables = await Promise.all(REPORTING_PROJECTION.tables.filter((t) => !t.observational).map((t) => tableChecksum(pool, schema, t)));
    const checksumMs = Date.now() - checksumStarted;
    const rows = Object.fromEntries(tables.map((t) => [t.table, t.rows]));
    const out = {
      benchmark: 'reporting rebuild by replay',
      measured_at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      events: result.events,
      history_reused: reuse !== undefined,
      avg_record_bytes: recordSize,
      rebuild_eps: perSecond(result.events, result.durationMs),
      rebuild_duration_ms: result.durationMs,
      participants: result.participants,
      load_ms: result.loadMs,
      participant_timings: result.participantTimings.map((t) => ({ topics: t.topics.map((x) => x.slice(prefix.length)), events: t.events, read_ms: t.readMs, copy_ms: t.copyMs, keys_ms: t.keysMs, rows: t.rows })),
      switch_ms: result.durationMs - result.loadMs,
      statistics_after_switch_ms: result.statisticsMs,
      checksums_ms: checksumMs,
      kafka_raw_consume_eps: raw.kafka_raw_consume_eps,
      rebuild_vs_raw_consume: Math.round((perSecond(result.events, result.durationMs) / raw.kafka_raw_consume_eps) * 1000) / 1000,
      target_eps: TARGET_EPS,
      meets_target: perSecond(result.events, result.durationMs) >= TARGET_EPS,
      cpu_seconds: cpu,
      rows_per_table: rows,
      history_produce_eps: perSecond(filled.events, filled.ms),
    };
    console.log('');
    console.log(`  events                 ${out.events.toLocaleString('en-US')}`);
    console.log(`  rebuild                ${out.rebuild_eps.toLocaleString('en-US')} events/s (${(out.rebuild_duration_ms / 1000).toFixed(1)} s: read+project+COPY ${(out.load_ms / 1000).toFixed(1)} s in ${out.participants} threads, switch ${(out.switch_ms / 1000).toFixed(1)} s; afterwards full ANALYZE ${(result.statisticsMs / 1000).toFixed(1)} s and checksums ${(checksumMs / 1000).toFixed(1)} s)`);
    for (const t of out.participant_timings) console.log(`    thread ${t.topics.join('+')}: ${t.events.toLocaleString('en-US')} events read+projected in ${(t.read_ms / 1000).toFixed(1)} s, ${t.rows.toLocaleString('en-US')} rows COPY ${(t.copy_ms / 1000).toFixed(1)} s, keys ${(t.keys_ms / 1000).toFixed(1)} s more`);
    if (cpu) console.log(`  cpu during rebuild     ${cpu.machine_busy}s busy of ${cpu.machine_total}s on ${os.cpus().length} cores: this process (threads) ${cpu.rebuild_process}s, everything else (PostgreSQL, Kafka) ${cpu.others}s`);
    console.log(`  kafka raw consume      ${out.kafka_raw_consume_eps.toLocaleString('en-US')} events/s`);
    console.log(`  target                 ${TARGET_EPS.toLocaleString('en-US')} events/s: ${out.meets_target ? 'met' : 'NOT met'}`);
    console.log(`  rows                   ${Object.entries(rows).map(([t, n]) => `${t}=${n}`).join(' ')}`);
    const file = path.join(REPO_ROOT, 'bench/results/rebuild.json');
    fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`  written to ${path.relative(REPO_ROOT, file)}`);
    return out;
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
    if (keep) console.log(`  kept the history: FINMESH_BENCH_REUSE=${prefix}`);
    else await deleteNamespace(kafka, registryUrl, prefix, topics);
  }
}

runCli(main);
