/**
 * Small helpers shared by the backbone comparison benchmarks (Kafka's own perf tools and the
 * naive NestJS consumer): where the local stack lives, fresh throw-away topics, unique names and a
 * uniform CLI wrapper. Nothing here is timed; the benchmarks measure only their own hot paths.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { kafkaJsConnection, provisioningKafkaSettings, type KafkaClientSettings } from '@finmesh/contracts';

/** A setup problem the user can fix (missing Java, jars, stack down); printed without a stack. */
export class BenchSetupError extends Error {
  override readonly name = 'BenchSetupError';
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Connection settings, with the same variables and defaults as the services. */
export interface BenchEnv {
  readonly kafkaBrokers: string[];
  /** The benchmarks create and delete their own topics: the provisioning admin's connection. */
  readonly kafka: KafkaClientSettings;
  readonly databaseUrl: string;
}

export function benchEnv(env: NodeJS.ProcessEnv = process.env): BenchEnv {
  return {
    kafkaBrokers: (env['FINMESH_KAFKA_BROKERS'] ?? '127.0.0.1:9092')
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
    get kafka(): KafkaClientSettings {
      return provisioningKafkaSettings(env);
    },
    databaseUrl: env['FINMESH_DB_URL'] ?? 'postgres://postgres@127.0.0.1:5432/finmesh',
  };
}

/** FINMESH_BENCH_VERBOSE=1 prints the raw tool output and progress lines (to stderr). */
export function isVerbose(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['FINMESH_BENCH_VERBOSE'] === '1';
}

/** A lower-case, identifier-safe suffix so concurrent or repeated runs never share a topic/schema. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** Records per second, rounded to one decimal so JSON results stay readable. */
export function perSecond(count: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  return Math.round((count / (elapsedMs / 1000)) * 10) / 10;
}

/**
 * Runs `fn` with a connected kafkajs admin. Connection failures become a BenchSetupError that
 * says how to start the stack, because that is by far the most common cause.
 */
export async function withKafkaAdmin<T>(settings: KafkaClientSettings, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const brokers = settings.brokers;
  const kafka = new Kafka({ clientId: 'finmesh-bench-admin', ...kafkaJsConnection(settings), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (err) {
    throw new BenchSetupError(
      `cannot reach Kafka at ${brokers.join(',')} (${errorMessage(err)}); start the local stack with \`npm run infra:up\``,
    );
  }
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a topic that must not exist yet and waits until every partition has a leader, so the
 * first produce does not pay for (or time out on) metadata propagation.
 */
export async function createFreshTopic(kafka: KafkaClientSettings, topic: string, partitions: number): Promise<void> {
  await withKafkaAdmin(kafka, async (admin) => {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`topic ${topic} already exists; benchmarks need a fresh topic`);
  });
}

/** Deletes a benchmark topic; best effort, because a leftover topic must not fail a finished run. */
export async function deleteTopicQuietly(kafka: KafkaClientSettings, topic: string): Promise<void> {
  try {
    await withKafkaAdmin(kafka, (admin) => admin.deleteTopics({ topics: [topic], timeout: 30_000 }));
  } catch (err) {
    console.error(`warning: could not delete benchmark topic ${topic}: ${errorMessage(err)}`);
  }
}

/** Deletes the (empty) consumer groups a run created, so repeated runs leave no clutter behind. */
export async function deleteGroupsQuietly(kafka: KafkaClientSettings, groupIds: string[]): Promise<void> {
  try {
    await withKafkaAdmin(kafka, (admin) => admin.deleteGroups(groupIds));
  } catch (err) {
    console.error(`warning: could not delete consumer groups ${groupIds.join(', ')}: ${errorMessage(err)}`);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Reads `--name=value` (or `--name value`) as a positive integer, else the fallback. */
export function cliInt(argv: readonly string[], name: string, fallback: number): number {
  const flag = `--${name}`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    let raw: string | undefined;
    if (arg.startsWith(`${flag}=`)) raw = arg.slice(flag.length + 1);
    else if (arg === flag) raw = argv[i + 1];
    if (raw === undefined) continue;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(n) || n <= 0) throw new BenchSetupError(`${flag}=${raw}: must be a positive whole number`);
    return n;
  }
  return fallback;
}

/**
 * Runs a benchmark from the command line: JSON result on stdout, a one-line error on stderr and
 * exit code 1 on failure (setup errors without a stack trace, since the message says what to do).
 */
export function runCli(main: () => Promise<unknown>): void {
  main().then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      // kafkajs/pg may keep sockets or timers around briefly; the result is out, so exit now.
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err instanceof BenchSetupError ? `error: ${err.message}` : err);
      process.exit(1);
    },
  );
}
