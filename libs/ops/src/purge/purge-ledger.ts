import type { Pool } from 'pg';
import { DEFAULT_OPS_SCHEMA } from '../replay/replay-ledger';
import { LedgerTable } from '../ledger/ledger-table';

/** One purged range of one DLT partition, written after the broker deleted it. */
export interface PurgeLedgerEntry {
  readonly purgeId: string;
  readonly dltTopic: string;
  readonly dltPartition: number;
  /** First offset deleted (the low watermark before the purge). */
  readonly fromOffset: string;
  /** Exclusive end: records before it are gone (the new low watermark). */
  readonly toOffset: string;
  readonly actor: string;
}

export interface PurgeLedgerRow extends PurgeLedgerEntry {
  readonly purgedAt: Date;
}

const TABLE = 'dead_letter_purges';

/**
 * Which DLT ranges were purged, by whom, in PostgreSQL (`<schema>.dead_letter_purges`, next to
 * the replay ledger). Kafka forgets deleted records entirely; this is the only trace of them.
 */
export class PurgeLedger {
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
        purge_id      uuid        NOT NULL,
        dlt_topic     text        NOT NULL,
        dlt_partition integer     NOT NULL,
        from_offset   bigint      NOT NULL,
        to_offset     bigint      NOT NULL,
        actor         text        NOT NULL,
        purged_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (purge_id, dlt_topic, dlt_partition)
    `);
  }

  async record(entry: PurgeLedgerEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (purge_id, dlt_topic, dlt_partition, from_offset, to_offset, actor) VALUES ($1, $2, $3, $4, $5, $6)`,
      [entry.purgeId, entry.dltTopic, entry.dltPartition, entry.fromOffset, entry.toOffset, entry.actor],
    );
  }

  async list(filter: { dltTopic?: string; purgeId?: string } = {}): Promise<PurgeLedgerRow[]> {
    if (!(await this.ledger.exists())) return [];
    const result = await this.pool.query<{
      purge_id: string;
      dlt_topic: string;
      dlt_partition: number;
      from_offset: string;
      to_offset: string;
      actor: string;
      purged_at: Date;
    }>(
      `SELECT purge_id::text AS purge_id, dlt_topic, dlt_partition, from_offset::text AS from_offset, to_offset::text AS to_offset, actor, purged_at
         FROM ${this.table}
        WHERE ($1::text IS NULL OR dlt_topic = $1) AND ($2::uuid IS NULL OR purge_id = $2)
        ORDER BY purged_at, dlt_topic, dlt_partition`,
      [filter.dltTopic ?? null, filter.purgeId ?? null],
    );
    return result.rows.map((r) => ({
      purgeId: r.purge_id,
      dltTopic: r.dlt_topic,
      dltPartition: r.dlt_partition,
      fromOffset: r.from_offset,
      toOffset: r.to_offset,
      actor: r.actor,
      purgedAt: r.purged_at,
    }));
  }
}
