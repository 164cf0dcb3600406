import type { Pool, PoolClient } from 'pg';
import { advisoryLockKey, type SqlExecutor } from '@finmesh/persistence';
import { formatDeadLetterPosition, type DeadLetterPosition } from './dead-letter-record';
import { LedgerTable } from '../ledger/ledger-table';

export const DEFAULT_OPS_SCHEMA = 'finmesh_ops';
const TABLE = 'dead_letter_replays';

/** One replayed dead letter, written after the broker acknowledged the re-published record. */
export interface ReplayLedgerEntry extends DeadLetterPosition {
  readonly originalTopic: string;
  readonly replayId: string;
  readonly actor: string;
  readonly targetPartition: number;
  readonly targetOffset: string;
}

export interface ReplayLedgerRow extends ReplayLedgerEntry {
  readonly replayedAt: Date;
  /** How many times this dead letter was replayed (more than 1 only with includeAlreadyReplayed). */
  readonly replayCount: number;
}

/** Another replay of the same DLT topic holds the lock: two replays would publish twice. */
export class ReplayInProgressError extends Error {
  override readonly name = 'ReplayInProgressError';
  constructor(readonly dltTopic: string) {
    super(`another replay of ${dltTopic} is running; wait for it to finish`);
  }
}

/**
 * Which dead letters were replayed, in PostgreSQL (`<schema>.dead_letter_replays`). The primary
 * key is the DLT position, so "was this dead letter replayed?" is one lookup and the same dead
 * letter is not replayed twice by accident (a second replay must ask for it explicitly).
 */
export class ReplayLedger {
  private readonly ledger: LedgerTable;
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    readonly schema: string = DEFAULT_OPS_SCHEMA,
  ) {
    this.ledger = new LedgerTable(pool, schema, TABLE);
    this.table = this.ledger.name;
  }

  async ensureTable(): Promise<void> {
    await this.ledger.create(`
        dlt_topic        text        NOT NULL,
        dlt_partition    integer     NOT NULL,
        dlt_offset       bigint      NOT NULL,
        original_topic   text        NOT NULL,
        replayed_at      timestamptz NOT NULL DEFAULT now(),
        replay_id        uuid        NOT NULL,
        actor            text        NOT NULL,
        target_partition integer     NOT NULL,
        target_offset    bigint      NOT NULL,
        replay_count     integer     NOT NULL DEFAULT 1,
        PRIMARY KEY (dlt_topic, dlt_partition, dlt_offset)
    `);
  }

  /**
   * The given positions that the ledger already records, as `topic/partition/offset` strings.
   * Read-only: a missing table means nothing was ever replayed (a dry run creates nothing).
   */
  async alreadyReplayed(positions: readonly DeadLetterPosition[]): Promise<Set<string>> {
    if (positions.length === 0) return new Set();
    if (!(await this.ledger.exists())) return new Set();
    const result = await this.pool.query<{ dlt_topic: string; dlt_partition: number; dlt_offset: string }>(
      `SELECT dlt_topic, dlt_partition, dlt_offset::text AS dlt_offset FROM ${this.table}
        WHERE (dlt_topic, dlt_partition, dlt_offset) IN (SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[]))`,
      [positions.map((p) => p.dltTopic), positions.map((p) => p.dltPartition), positions.map((p) => p.dltOffset)],
    );
    return new Set(result.rows.map((r) => formatDeadLetterPosition({ dltTopic: r.dlt_topic, dltPartition: r.dlt_partition, dltOffset: r.dlt_offset })));
  }

  /**
   * Records one replay; replaying an already-replayed dead letter again updates its row and count.
   * `db`: the transaction to write in (e.g. one that also appends the audit row); the pool by default.
   */
  async record(entry: ReplayLedgerEntry, db: SqlExecutor = this.pool): Promise<void> {
    await db.query(
      `INSERT INTO ${this.table}
         (dlt_topic, dlt_partition, dlt_offset, original_topic, replay_id, actor, target_partition, target_offset)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (dlt_topic, dlt_partition, dlt_offset) DO UPDATE SET
         original_topic = EXCLUDED.original_topic, replayed_at = now(), replay_id = EXCLUDED.replay_id,
         actor = EXCLUDED.actor, target_partition = EXCLUDED.target_partition,
         target_offset = EXCLUDED.target_offset, replay_count = ${this.table}.replay_count + 1`,
      [entry.dltTopic, entry.dltPartition, entry.dltOffset, entry.originalTopic, entry.replayId, entry.actor, entry.targetPartition, entry.targetOffset],
    );
  }

  async list(filter: { dltTopic?: string; replayId?: string } = {}): Promise<ReplayLedgerRow[]> {
    if (!(await this.ledger.exists())) return [];
    const result = await this.pool.query<{
      dlt_topic: string;
      dlt_partition: number;
      dlt_offset: string;
      original_topic: string;
      replayed_at: Date;
      replay_id: string;
      actor: string;
      target_partition: number;
      target_offset: string;
      replay_count: number;
    }>(
      `SELECT dlt_topic, dlt_partition, dlt_offset::text AS dlt_offset, original_topic, replayed_at, replay_id::text AS replay_id,
              actor, target_partition, target_offset::text AS target_offset, replay_count
         FROM ${this.table}
        WHERE ($1::text IS NULL OR dlt_topic = $1) AND ($2::uuid IS NULL OR replay_id = $2)
        ORDER BY dlt_topic, dlt_partition, dlt_offset`,
      [filter.dltTopic ?? null, filter.replayId ?? null],
    );
    return result.rows.map((r) => ({
      dltTopic: r.dlt_topic,
      dltPartition: r.dlt_partition,
      dltOffset: r.dlt_offset,
      originalTopic: r.original_topic,
      replayedAt: r.replayed_at,
      replayId: r.replay_id,
      actor: r.actor,
      targetPartition: r.target_partition,
      targetOffset: r.target_offset,
      replayCount: r.replay_count,
    }));
  }

  /**
   * Runs `fn` while holding a PostgreSQL session advisory lock per DLT topic, so two operators
   * replaying the same DLT at once cannot both pass the "already replayed?" check and publish
   * twice. Fails at once (ReplayInProgressError) rather than queueing behind the other replay.
   */
  async withReplayLock<T>(dltTopics: readonly string[], fn: () => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    const held: string[] = [];
    try {
      // Sorted, so two replays over overlapping topic sets take the locks in the same order.
      for (const topic of [...new Set(dltTopics)].sort()) {
        const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [replayLockKey(this.schema, topic)]);
        if (!r.rows[0]?.ok) throw new ReplayInProgressError(topic);
        held.push(topic);
      }
      return await fn();
    } finally {
      for (const topic of held) await client.query('SELECT pg_advisory_unlock($1::bigint)', [replayLockKey(this.schema, topic)]).catch(() => undefined);
      client.release();
    }
  }
}

/** One lock per ledger schema and DLT topic: every operator (CLI or service) replaying that DLT computes the same key. */
function replayLockKey(schema: string, dltTopic: string): string {
  return advisoryLockKey(schema, `dlt-replay:${dltTopic}`);
}
