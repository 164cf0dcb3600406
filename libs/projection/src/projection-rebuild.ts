import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Kafka } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { REBUILD_GROUP_PREFIX, type EventCodec, type KafkaClientSettings } from '@finmesh/contracts';
import { quoteIdentifier } from '@finmesh/persistence';
import { assignTopics, endOffsetsOf, targetsFor } from './history-reader';
import { rebuildLockKey, switchLockKey, type ReadModelProjection } from './read-model-projection';
import { switchReadModelTables } from './read-model-switch';
import { qualified } from './read-model-table';
import { LocalParticipant, type ParticipantTimings, type RebuildParticipant } from './rebuild-participant';
import type { ProjectionModuleRef } from './rebuild-worker-protocol';
import { gatherStagingTables, participantSchema, participantSchemas } from './staging-load';
import { tableChecksum, type TableChecksum } from './table-checksum';
import { WorkerParticipant } from './worker-participant';

/** loading: reading, projecting and writing the staging tables; switching: catching up and swapping. */
export type RebuildPhase = 'loading' | 'switching' | 'done';

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
  /** Runs inside the switch-over transaction after the swap (e.g. NOTIFY readers that the tables changed). */
  readonly afterSwitch?: (exec: PoolClient) => Promise<void>;
  /** Checksum every rebuilt table afterwards (default true; a full scan of each table). */
  readonly checksums?: boolean;
  /**
   * Read in worker threads (one per core by default), the topics split between them by record
   * count. A projection may use this when each of its rows is written by events of one topic
   * only (the workers' rows are disjoint; an overlap fails the load on the primary key).
   * Without it the rebuild runs in this thread.
   */
  readonly workers?: {
    readonly count?: number;
    /** The process's own Kafka settings (brokers, TLS, SCRAM): each worker connects as the same principal. */
    readonly kafka: KafkaClientSettings;
    readonly registryUrl: string;
    readonly databaseUrl: string;
    readonly projection: ProjectionModuleRef;
  };
}

export interface RebuildResult {
  readonly rebuildId: string;
  readonly events: number;
  /** Start to committed switch-over (full statistics and checksums, if asked for, come after). */
  readonly durationMs: number;
  /** Events per second over the whole rebuild (read, decode, project, write, switch). */
  readonly eventsPerSecond: number;
  /** Reading, decoding, projecting and writing the staging tables (all participants in parallel), keys and statistics. */
  readonly loadMs: number;
  /** ANALYZE of every column of the rebuilt tables, right after the switch-over (not part of durationMs). */
  readonly statisticsMs: number;
  readonly participants: number;
  /** Per participant: its topics, events, read, COPY and key-build times. */
  readonly participantTimings: readonly ParticipantTimings[];
  /** Checksums of the rebuilt tables (empty with `checksums: false`); not part of durationMs. */
  readonly tables: readonly TableChecksum[];
  /** Where the rebuilt tables are: the live schema after a switch-over, else the staging schema. */
  readonly schema: string;
}

/**
 * Rebuilds a projection's read models from the topics' full history into new tables while the
 * live ones keep serving, then switches over atomically.
 *
 * 1. Load: every participant (this thread, or worker threads with a share of the topics) reads
 *    its partitions from the beginning to the end offsets at the start, projecting in memory
 *    (projections are order-independent, so partitions interleave freely), then COPYs its rows
 *    into a staging schema; events that keep arriving are buffered.
 * 2. Switch: take the switch lock exclusively — live projection transactions hold it shared, so
 *    from here no live write happens — read up to the end offsets as of now, apply the buffered
 *    events to the staging tables, swap the tables, commit. Everything the live tables had is in
 *    the new ones; the live consumer resumes on the new tables, and whatever it re-applies is a
 *    no-op (projections are idempotent).
 */
export async function rebuildReadModels(o: RebuildOptions): Promise<RebuildResult> {
  const rebuildId = randomUUID();
  const started = Date.now();
  const staging = `${o.schema}_rebuild`;
  const retired = `${o.schema}_retired`;
  const tables = o.projection.tables.filter((t) => !t.observational);
  const log = o.logger.child({ rebuildId, schema: o.schema });
  const guard = await o.pool.connect();
  const participants: RebuildParticipant[] = [];
  let phase: RebuildPhase = 'loading';
  let eventsTotal = 0;
  const eventsRead = () => participants.reduce((n, p) => n + p.eventsRead, 0);
  const report = () =>
    o.onProgress?.({ phase, eventsDone: eventsRead(), eventsTotal: Math.max(eventsTotal, eventsRead()), ratePerSec: rate(eventsRead(), started), elapsedMs: Date.now() - started });
  const ticker = setInterval(report, 250);
  try {
    // One rebuild per schema at a time (session lock, released with the connection).
    const locked = (await guard.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [rebuildLockKey(o.schema)])).rows[0]?.ok;
    if (!locked) throw new Error(`a rebuild of '${o.schema}' is already running`);
    await dropSchemas(guard, [staging, ...(await participantSchemas(guard, staging))]);
    await guard.query(`CREATE SCHEMA ${quoteIdentifier(staging)}`);

    const history = await endOffsetsOf(o.kafka, o.topics);
    eventsTotal = [...history.records.values()].reduce((a, b) => a + b, 0);
    // The prefix the reporting projector's Kafka ACLs grant it (contracts' topic-acls).
    const groupId = (i: number) => `${REBUILD_GROUP_PREFIX}${o.schema}-${rebuildId}-${i}`;
    if (o.workers) {
      const shares = assignTopics(history.records, o.workers.count ?? Math.max(1, os.availableParallelism()));
      for (const [i, topics] of shares.entries()) {
        const w = o.workers;
        participants.push(
          new WorkerParticipant({ kafka: w.kafka, registryUrl: w.registryUrl, databaseUrl: w.databaseUrl, projection: w.projection, stagingSchema: staging, loadSchema: participantSchema(staging, i), topics, groupId: groupId(i) }),
        );
      }
    } else {
      participants.push(
        new LocalParticipant({ kafka: o.kafka, codec: o.codec, pool: o.pool, projection: o.projection, stagingSchema: staging, loadSchema: participantSchema(staging, 0), topics: o.topics, groupId: groupId(0) }),
      );
    }
    const topicsOf = (p: RebuildParticipant) => (p instanceof WorkerParticipant ? p.topics : o.topics);
    report();
    // Each participant loads and keys its tables in a schema of its own; then they are gathered
    // into the staging schema, before the live side is held up by the switch lock.
    await Promise.all(participants.map((p) => p.load(targetsFor(history.targets, topicsOf(p)), history.starts)));
    const loaded = participants.map((p, i) => ({ schema: participantSchema(staging, i), tables: p.timings?.tables ?? [] }));
    await gatherStagingTables(guard, staging, tables, loaded);
    await dropSchemas(guard, loaded.map((l) => l.schema));
    const loadMs = Date.now() - started;
    log.info({ events: eventsRead(), loadMs, participants: participants.length }, 'history loaded into staging tables');

    phase = 'switching';
    report();
    await guard.query('BEGIN');
    try {
      await guard.query('SELECT pg_advisory_xact_lock($1::bigint)', [switchLockKey(o.schema)]);
      const now = await endOffsetsOf(o.kafka, o.topics);
      await Promise.all(participants.map((p) => p.drain(targetsFor(now.targets, topicsOf(p)))));
      if (o.switchOver !== false) {
        await switchReadModelTables(guard, tables, { live: o.schema, staging, retired });
        await o.afterSwitch?.(guard);
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
    const durationMs = Date.now() - started;
    // Full statistics for the tables now serving. Before the switch, only the key and index
    // columns were analyzed, so the planner already had row counts and key statistics (see
    // analyzeKeyColumnsSql). This step does not depend on autovacuum, which some servers turn off.
    const statisticsStarted = Date.now();
    for (const spec of tables) await guard.query(`ANALYZE ${qualified(where, spec.name)}`);
    const statisticsMs = Date.now() - statisticsStarted;
    const checksums: TableChecksum[] = [];
    if (o.checksums !== false) for (const spec of tables) checksums.push(await tableChecksum(guard, where, spec));
    phase = 'done';
    report();
    const result: RebuildResult = {
      rebuildId,
      events: eventsRead(),
      durationMs,
      eventsPerSecond: durationMs > 0 ? Math.round(eventsRead() / (durationMs / 1000)) : 0,
      loadMs,
      statisticsMs,
      participants: participants.length,
      participantTimings: participants.flatMap((p) => (p.timings ? [p.timings] : [])),
      tables: checksums,
      schema: where,
    };
    log.info({ events: result.events, durationMs, eventsPerSecond: result.eventsPerSecond }, 'read models rebuilt');
    return result;
  } finally {
    clearInterval(ticker);
    await Promise.allSettled(participants.map((p) => p.close()));
    // A failed rebuild leaves no participant schemas behind (the staging schema is dropped by the next one).
    await dropSchemas(guard, await participantSchemas(guard, staging).catch(() => [])).catch(() => undefined);
    await guard.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    guard.release();
  }
}

async function dropSchemas(client: PoolClient, schemas: readonly string[]): Promise<void> {
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
}

function rate(events: number, since: number): number {
  const seconds = (Date.now() - since) / 1000;
  return seconds > 0 ? Math.round(events / seconds) : 0;
}
