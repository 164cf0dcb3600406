import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { EventCodec } from '../codec/event-codec';
import { quoteIdentifier } from '../sql/sql-executor';
import { bulkLoad } from './bulk-load';
import { projectedEventOf } from './projected-event';
import { switchLockName, type ProjectedEvent, type ReadModelProjection } from './read-model-projection';
import { createReadModelTables, switchReadModelTables } from './read-model-switch';
import { MemoryRowStore } from './row-store';
import { SqlRowStore } from './sql-row-store';
import { tableChecksum, type TableChecksum } from './table-checksum';

export type RebuildPhase = 'reading' | 'writing' | 'switching' | 'done';

export interface RebuildProgress {
  readonly phase: RebuildPhase;
  readonly eventsDone: number;
  /** Records in the topics when the rebuild started (grows if the catch-up reads more). */
  readonly eventsTotal: number;
  readonly ratePerSec: number;
  readonly elapsedMs: number;
}

export interface RebuildOptions {
  readonly kafka: Kafka;
  readonly pool: Pool;
  readonly codec: EventCodec;
  readonly projection: ReadModelProjection;
  /** The live schema whose tables are replaced. */
  readonly schema: string;
  readonly topics: readonly string[];
  readonly logger: Logger;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Leave the rebuilt tables in the staging schema instead of switching (for comparisons). */
  readonly switchOver?: boolean;
}

export interface RebuildResult {
  readonly rebuildId: string;
  readonly events: number;
  readonly durationMs: number;
  /** Events per second over the whole rebuild (read, decode, project, write, switch). */
  readonly eventsPerSecond: number;
  readonly readMs: number;
  readonly writeMs: number;
  readonly tables: readonly TableChecksum[];
  /** Where the rebuilt tables are: the live schema after a switch-over, else the staging schema. */
  readonly schema: string;
}

type TopicPartitionKey = string;
const tp = (topic: string, partition: number): TopicPartitionKey => `${topic}:${partition}`;

/**
 * Rebuilds a projection's read models from the topics' full history into new tables while the
 * live ones keep serving, then switches over atomically.
 *
 * 1. Read every partition from the beginning to its end offset at the start, projecting into
 *    memory (projections are order-independent, so partitions interleave freely).
 * 2. Bulk-load the rows into a staging schema with COPY; events that keep arriving are buffered.
 * 3. Take the switch lock exclusively: live projection transactions hold it shared, so from here
 *    no live write happens. Read up to the end offsets as of now, apply the buffered events to
 *    the staging tables, swap the tables, commit. Everything the live tables had is in the new
 *    ones; the live consumer resumes on the new tables and anything it re-applies is a no-op
 *    (projections are idempotent).
 */
export async function rebuildReadModels(o: RebuildOptions): Promise<RebuildResult> {
  const rebuildId = randomUUID();
  const started = Date.now();
  const staging = `${o.schema}_rebuild`;
  const retired = `${o.schema}_retired`;
  const log = o.logger.child({ rebuildId, schema: o.schema });
  const guard = await o.pool.connect();
  try {
    // One rebuild per schema at a time (session lock, released with the connection).
    const locked = (await guard.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`finmesh.read-model-rebuild:${o.schema}`])).rows[0]?.ok;
    if (!locked) throw new Error(`a rebuild of '${o.schema}' is already running`);
    await guard.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(staging)} CASCADE`);
    await createReadModelTables(guard, staging, o.projection.tables.filter((t) => !t.observational));

    const reader = new HistoryReader(o.kafka, o.codec, o.topics, `finmesh-rebuild-${o.schema}-${rebuildId}`);
    const memory = new MemoryRowStore();
    let phase: RebuildPhase = 'reading';
    const report = () =>
      o.onProgress?.({ phase, eventsDone: reader.eventsRead, eventsTotal: Math.max(reader.eventsTotal, reader.eventsRead), ratePerSec: rate(reader.eventsRead, started), elapsedMs: Date.now() - started });
    const ticker = setInterval(report, 250);
    try {
      await reader.start((e) => o.projection.apply(memory, e));
      report();
      await reader.readUntilEnd();
      const readMs = Date.now() - started;
      log.info({ events: reader.eventsRead, readMs }, 'history projected in memory');

      phase = 'writing';
      const pending: ProjectedEvent[] = [];
      await reader.redirect(async (e) => void pending.push(e));
      const tables = o.projection.tables.filter((t) => !t.observational);
      for (const spec of tables) await bulkLoad(guard, staging, spec, memory.rows(spec));
      await guard.query(`ANALYZE`);
      const writeMs = Date.now() - started - readMs;

      phase = 'switching';
      report();
      await guard.query('BEGIN');
      try {
        await guard.query('SELECT pg_advisory_xact_lock(hashtext($1))', [switchLockName(o.schema)]);
        await reader.readUntilEnd(); // still buffering into `pending`
        await reader.redirect(async () => undefined);
        const store = new SqlRowStore(guard, staging);
        for (const e of pending) await o.projection.apply(store, e);
        await store.flush();
        if (o.switchOver !== false) {
          await switchReadModelTables(guard, tables, { live: o.schema, staging, retired });
        }
        await guard.query('COMMIT');
      } catch (err) {
        await guard.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      const where = o.switchOver !== false ? o.schema : staging;
      if (o.switchOver !== false) {
        await guard.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(retired)} CASCADE`);
        await guard.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(staging)} CASCADE`);
      }
      const checksums: TableChecksum[] = [];
      for (const spec of tables) checksums.push(await tableChecksum(guard, where, spec));
      phase = 'done';
      report();
      const durationMs = Date.now() - started;
      const result: RebuildResult = {
        rebuildId,
        events: reader.eventsRead,
        durationMs,
        eventsPerSecond: rate(reader.eventsRead, started),
        readMs,
        writeMs,
        tables: checksums,
        schema: where,
      };
      log.info({ events: result.events, durationMs, eventsPerSecond: result.eventsPerSecond, pendingAtSwitch: pending.length }, 'read models rebuilt');
      return result;
    } finally {
      clearInterval(ticker);
      await reader.close();
    }
  } finally {
    await guard.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    guard.release();
  }
}

function rate(events: number, since: number): number {
  const seconds = (Date.now() - since) / 1000;
  return seconds > 0 ? Math.round(events / seconds) : 0;
}

type Sink = (event: ProjectedEvent) => Promise<void>;

/**
 * Reads topics from the beginning with a throw-away consumer group (deleted afterwards) and
 * hands each record, decoded, to the current sink, strictly one at a time. Swapping the sink is
 * how the rebuild stops writing to memory without stopping the consumer.
 */
class HistoryReader {
  eventsRead = 0;
  eventsTotal = 0;
  private consumer: Consumer | undefined;
  private sink: Sink = async () => undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly next = new Map<TopicPartitionKey, bigint>();
  private waiters: (() => void)[] = [];
  private failure: unknown;

  constructor(
    private readonly kafka: Kafka,
    private readonly codec: EventCodec,
    private readonly topics: readonly string[],
    private readonly groupId: string,
  ) {}

  async start(sink: Sink): Promise<void> {
    this.sink = sink;
    this.eventsTotal = await this.recordsInTopics();
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxBytesPerPartition: 8 * 1024 * 1024, maxBytes: 64 * 1024 * 1024, maxWaitTimeInMs: 100 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, heartbeat }) => {
        const key = tp(batch.topic, batch.partition);
        let processed = 0;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset < (this.next.get(key) ?? 0n)) continue; // redelivered after a rebalance
          try {
            const event = await projectedEventOf(this.codec, batch.topic, batch.partition, message);
            this.inFlight = this.sink(event);
            await this.inFlight;
          } catch (err) {
            this.fail(new Error(`rebuild cannot read ${batch.topic}[${batch.partition}]@${message.offset}: ${(err as Error).message}`, { cause: err }));
            return;
          }
          this.next.set(key, offset + 1n);
          this.eventsRead++;
          if (++processed % 5000 === 0) await heartbeat();
        }
        this.wake();
      },
    });
  }

  /** Resolves when every partition has been read up to the end offsets as of this call. */
  async readUntilEnd(): Promise<void> {
    const targets = await this.endOffsets();
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.failure) return reject(this.failure);
        for (const [key, end] of targets) if ((this.next.get(key) ?? 0n) < end) return this.waiters.push(check);
        resolve();
      };
      check();
    });
  }

  /** Routes the next records to a new sink; resolves once the record being applied now is done. */
  async redirect(sink: Sink): Promise<void> {
    this.sink = sink;
    await this.inFlight;
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([this.groupId]).catch(() => undefined);
    await admin.disconnect();
  }

  private fail(err: unknown): void {
    this.failure = err;
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  private async endOffsets(): Promise<Map<TopicPartitionKey, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const targets = new Map<TopicPartitionKey, bigint>();
      for (const topic of this.topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          const key = tp(topic, p.partition);
          targets.set(key, BigInt(p.high));
          // A partition whose records were all deleted starts past 0: begin where it begins.
          if (!this.next.has(key)) this.next.set(key, BigInt(p.low));
        }
      }
      return targets;
    } finally {
      await admin.disconnect();
    }
  }

  private async recordsInTopics(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      let total = 0;
      for (const topic of this.topics) for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
      return total;
    } finally {
      await admin.disconnect();
    }
  }
}
