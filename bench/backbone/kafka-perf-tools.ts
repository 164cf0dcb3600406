/**
 * The "raw Kafka" reference figures: Kafka's own ProducerPerformance and ConsumerPerformance tools
 * (from the kafka-tools jar the local stack already resolved) against a fresh topic on the same
 * broker. They give the ceiling the finmesh path is compared with: no Avro, no database, no
 * Node.js — the JVM client at full speed with acks=all.
 *
 *   node -r @swc-node/register bench/backbone/kafka-perf-tools.ts [--records=200000] [--record-size=600] [--partitions=12]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { javaClientProperties, type KafkaClientSettings } from '@finmesh/contracts';
import readline from 'node:readline';
import {
  BenchSetupError,
  REPO_ROOT,
  benchEnv,
  cliInt,
  createFreshTopic,
  deleteGroupsQuietly,
  deleteTopicQuietly,
  isVerbose,
  runCli,
  uniqueSuffix,
} from './bench-support';

export interface KafkaRawPerfOptions {
  /** Brokers and security; the tools get them as a 0600 client properties file (--command-config). */
  readonly kafka: KafkaClientSettings;
  readonly records: number;
  readonly recordSize: number;
  /** Defaults to a fresh `finmesh.bench.raw.<unique>`; must not exist yet. */
  readonly topic?: string;
  /** Same as the finmesh benchmark topic (12, like finmesh.invoice.v1) so the figures compare. */
  readonly partitions?: number;
  /** JVM heap of each tool; the tools need little and the broker shares the 2 cores. */
  readonly heap?: string;
}

/** ProducerPerformance's final summary line, parsed. Percentiles are only on the final line. */
export interface ProducerPerfDetails {
  readonly records: number;
  readonly records_per_sec: number;
  readonly mb_per_sec: number;
  readonly avg_latency_ms: number;
  readonly max_latency_ms: number;
  readonly p50_ms?: number;
  readonly p95_ms?: number;
  readonly p99_ms?: number;
  readonly p999_ms?: number;
  /** Wall time of the whole tool run including JVM start-up (not used for the rate). */
  readonly tool_wall_ms: number;
}

/** ConsumerPerformance's result row, parsed. */
export interface ConsumerPerfDetails {
  readonly records: number;
  readonly mb_consumed: number;
  /** Over the whole run, including joining the consumer group. */
  readonly mb_per_sec: number;
  readonly records_per_sec: number;
  readonly rebalance_time_ms: number;
  /** Time spent fetching once the group was joined; the basis of kafka_raw_consume_eps. */
  readonly fetch_time_ms: number;
  readonly fetch_mb_per_sec: number;
  readonly fetch_records_per_sec: number;
  readonly tool_wall_ms: number;
}

export interface KafkaRawPerfResult {
  /** Records/s reported by ProducerPerformance (acks=all, no throttling). */
  readonly kafka_raw_produce_eps: number;
  /**
   * Records/s reported by ConsumerPerformance as fetch.nMsg.sec, i.e. excluding the consumer-group
   * join, matching how the finmesh and naive consumers are timed (from the first record handled).
   */
  readonly kafka_raw_consume_eps: number;
  readonly topic: string;
  readonly partitions: number;
  readonly records: number;
  readonly record_size: number;
  readonly produce: ProducerPerfDetails;
  readonly consume: ConsumerPerfDetails;
}

const DEFAULT_PARTITIONS = 12;
const DEFAULT_HEAP = '256m';

/** The tools' client properties (the JAAS line holds a password) in a private temp folder. */
function writeClientConfig(kafka: KafkaClientSettings): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmesh-bench-kafka-'));
  const file = path.join(dir, 'client.properties');
  fs.writeFileSync(file, javaClientProperties(kafka), { mode: 0o600 });
  return file;
}

export async function runKafkaRawPerf(options: KafkaRawPerfOptions): Promise<KafkaRawPerfResult> {
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  const heap = options.heap ?? DEFAULT_HEAP;
  const topic = options.topic ?? `finmesh.bench.raw.${uniqueSuffix()}`;
  const bootstrap = options.kafka.brokers.join(',');
  const clientConfig = writeClientConfig(options.kafka);
  if (!Number.isInteger(options.records) || options.records <= 0) throw new Error('records must be a positive integer');
  if (!Number.isInteger(options.recordSize) || options.recordSize <= 0) throw new Error('recordSize must be a positive integer');

  // Check the JVM side before creating anything, so a missing Java leaves no topic behind.
  const java = requireJava();
  const classpath = `${requireKafkaLib()}/*`;

  const groupId = `finmesh-bench-raw-${uniqueSuffix()}`;
  await createFreshTopic(options.kafka, topic, partitions);
  let consumerRan = false;
  try {
    // Generous limits: they only exist so a wedged tool cannot hang the benchmark forever.
    const toolTimeoutMs = 120_000 + options.records;
    const produced = await runJavaTool(
      java,
      classpath,
      heap,
      'org.apache.kafka.tools.ProducerPerformance',
      [
        '--bootstrap-server', bootstrap,
        '--command-config', clientConfig,
        '--topic', topic,
        '--num-records', String(options.records),
        '--record-size', String(options.recordSize),
        '--throughput', '-1',
        // --producer-props is deprecated in 4.x; --command-property is its replacement.
        '--command-property', 'acks=all',
      ],
      toolTimeoutMs,
    );
    const produce = parseProducerOutput(produced.lines, produced.wallMs);
    if (produce.records !== options.records) {
      throw new Error(`ProducerPerformance sent ${produce.records} of ${options.records} records`);
    }

    consumerRan = true;
    const consumed = await runJavaTool(
      java,
      classpath,
      heap,
      'org.apache.kafka.tools.ConsumerPerformance',
      [
        '--bootstrap-server', bootstrap,
        '--command-config', clientConfig,
        '--topic', topic,
        '--num-records', String(options.records),
        '--group', groupId,
        // Max gap between two polls that return records; a slow 2-core box needs more than 10 s.
        '--timeout', '30000',
      ],
      toolTimeoutMs,
    );
    const consume = parseConsumerOutput(consumed.lines, consumed.wallMs);
    if (consume.records < options.records) {
      throw new Error(`ConsumerPerformance read ${consume.records} of ${options.records} records (timed out between polls)`);
    }

    return {
      kafka_raw_produce_eps: round1(produce.records_per_sec),
      kafka_raw_consume_eps: round1(consume.fetch_records_per_sec),
      topic,
      partitions,
      records: options.records,
      record_size: options.recordSize,
      produce,
      consume,
    };
  } finally {
    fs.rmSync(path.dirname(clientConfig), { recursive: true, force: true });
    await deleteTopicQuietly(options.kafka, topic);
    if (consumerRan) await deleteGroupsQuietly(options.kafka, [groupId]);
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// Locating Java and the Kafka jars (same rules as infra/finmesh-infra.mjs)
// ---------------------------------------------------------------------------------------------

/** The `java` on PATH, as infra/finmesh-infra.mjs uses for Kafka; the tools need 17+ as well. */
function requireJava(): string {
  const res = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (res.error) {
    throw new BenchSetupError(
      'Kafka\'s perf tools need Java 17+, but no `java` is on PATH. Install a JDK 17+ and run `npm run infra:up`.',
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(res.stderr ?? '');
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= 17)) {
    throw new BenchSetupError(`Kafka's perf tools need Java 17+, but \`java\` on PATH reports: ${(res.stderr ?? '').split('\n')[0]}`);
  }
  return 'java';
}

/** <FINMESH_INFRA_HOME>/kafka/<FINMESH_KAFKA_VERSION>/lib, which `npm run infra:up` fills. */
export function kafkaLibDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = path.resolve(REPO_ROOT, env['FINMESH_INFRA_HOME'] || '.finmesh');
  return path.join(home, 'kafka', env['FINMESH_KAFKA_VERSION'] || '4.4.0', 'lib');
}

function requireKafkaLib(): string {
  const lib = kafkaLibDir();
  let jars: string[] = [];
  try {
    jars = fs.readdirSync(lib);
  } catch {
    /* reported below */
  }
  if (!jars.some((j) => /^kafka-tools-\d.*\.jar$/.test(j)) || !jars.some((j) => /^kafka-clients-\d.*\.jar$/.test(j))) {
    throw new BenchSetupError(
      `the Kafka jars (kafka-tools, kafka-clients) are not in ${lib}; run \`npm run infra:up\` to resolve them (set FINMESH_INFRA_HOME / FINMESH_KAFKA_VERSION if the stack lives elsewhere)`,
    );
  }
  return lib;
}

// ---------------------------------------------------------------------------------------------
// Running a tool
// ---------------------------------------------------------------------------------------------

interface ToolRun {
  readonly lines: string[];
  readonly wallMs: number;
}

async function runJavaTool(java: string, classpath: string, heap: string, mainClass: string, args: string[], timeoutMs: number): Promise<ToolRun> {
  const label = mainClass.slice(mainClass.lastIndexOf('.') + 1);
  const verbose = isVerbose();
  const started = Date.now();
  // en-US so decimals are printed with '.', whatever the machine locale; G1 like the broker.
  const jvmArgs = [`-Xmx${heap}`, '-XX:+UseG1GC', '-Duser.language=en', '-Duser.country=US', '-Djava.awt.headless=true'];
  const child = spawn(java, [...jvmArgs, '-cp', classpath, mainClass, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

  const lines: string[] = [];
  const collect = (stream: NodeJS.ReadableStream): Promise<void> =>
    new Promise((resolve) => {
      const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
      rl.on('line', (line) => {
        lines.push(line);
        if (verbose) console.error(`[${label}] ${line}`);
      });
      rl.on('close', resolve);
    });
  const outputDone = Promise.all([collect(child.stdout), collect(child.stderr)]);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  }).finally(() => clearTimeout(timer));
  await outputDone;

  const tail = lines.slice(-15).join('\n');
  if (timedOut) throw new Error(`${label} did not finish within ${Math.round(timeoutMs / 1000)} s; last output:\n${tail}`);
  if (exitCode !== 0) throw new Error(`${label} exited with code ${exitCode}; last output:\n${tail}`);
  return { lines, wallMs: Date.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Parsing the tools' output
// ---------------------------------------------------------------------------------------------

const NUM = '(-?[\\d.]+)';
const PRODUCER_LINE = new RegExp(
  `(\\d+) records sent, ${NUM} records/sec \\(${NUM} MB/sec\\), ${NUM} ms avg latency, ${NUM} ms max latency` +
    `(?:, ${NUM} ms 50th, ${NUM} ms 95th, ${NUM} ms 99th, ${NUM} ms 99\\.9th)?`,
);

/**
 * ProducerPerformance prints a progress line every 5 s and one final summary, the only one with
 * percentiles. Without --warmup-records there is no separate steady-state line.
 */
export function parseProducerOutput(lines: readonly string[], wallMs: number): ProducerPerfDetails {
  const summaries = lines.map((l) => PRODUCER_LINE.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const final = [...summaries].reverse().find((m) => m[6] !== undefined) ?? summaries[summaries.length - 1];
  if (!final) throw new Error(`no summary line in ProducerPerformance output:\n${lines.slice(-15).join('\n')}`);
  const n = (i: number): number => Number(final[i]);
  const opt = (i: number): number | undefined => (final[i] === undefined ? undefined : Number(final[i]));
  const p50 = opt(6);
  const p95 = opt(7);
  const p99 = opt(8);
  const p999 = opt(9);
  return {
    records: n(1),
    records_per_sec: n(2),
    mb_per_sec: n(3),
    avg_latency_ms: n(4),
    max_latency_ms: n(5),
    ...(p50 !== undefined && { p50_ms: p50 }),
    ...(p95 !== undefined && { p95_ms: p95 }),
    ...(p99 !== undefined && { p99_ms: p99 }),
    ...(p999 !== undefined && { p999_ms: p999 }),
    tool_wall_ms: wallMs,
  };
}

/**
 * ConsumerPerformance prints a header (`start.time, end.time, data.consumed.in.MB, MB.sec,
 * data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec,
 * fetch.nMsg.sec`) and one row. Columns are looked up by name so a reordering cannot skew figures.
 */
export function parseConsumerOutput(lines: readonly string[], wallMs: number): ConsumerPerfDetails {
  const headerIndex = lines.findIndex((l) => l.includes('data.consumed.in.nMsg'));
  const header = headerIndex >= 0 ? lines[headerIndex] : undefined;
  const row = headerIndex >= 0 ? lines.slice(headerIndex + 1).find((l) => l.split(',').length >= 6) : undefined;
  if (header === undefined || row === undefined) {
    throw new Error(`no result row in ConsumerPerformance output:\n${lines.slice(-15).join('\n')}`);
  }
  const names = header.split(',').map((s) => s.trim());
  const values = row.split(',').map((s) => s.trim());
  const col = (name: string): number => {
    const i = names.indexOf(name);
    const v = i >= 0 ? Number(values[i]) : NaN;
    if (!Number.isFinite(v)) throw new Error(`ConsumerPerformance column ${name} missing or not a number in:\n${header}\n${row}`);
    return v;
  };
  return {
    records: col('data.consumed.in.nMsg'),
    mb_consumed: col('data.consumed.in.MB'),
    mb_per_sec: col('MB.sec'),
    records_per_sec: col('nMsg.sec'),
    rebalance_time_ms: col('rebalance.time.ms'),
    fetch_time_ms: col('fetch.time.ms'),
    fetch_mb_per_sec: col('fetch.MB.sec'),
    fetch_records_per_sec: col('fetch.nMsg.sec'),
    tool_wall_ms: wallMs,
  };
}

if (require.main === module) {
  runCli(() => {
    const argv = process.argv.slice(2);
    return runKafkaRawPerf({
      kafka: benchEnv().kafka,
      records: cliInt(argv, 'records', 200_000),
      recordSize: cliInt(argv, 'record-size', 600),
      partitions: cliInt(argv, 'partitions', DEFAULT_PARTITIONS),
    });
  });
}
