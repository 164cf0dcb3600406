import { advisoryLockKey, quoteIdentifier, resultRows, type SqlExecutor } from '@finmesh/persistence';
import type { PolledRecord } from './polled-record';

export interface LedgerEntry {
  readonly key: string;
  readonly version: string;
  readonly outcome: 'applied' | 'rejected';
  readonly reason: string | null;
  readonly changedAt: Date;
}

/** Reads and writes the poll tables of one schema (see poll-tables.ts). */
export class PollLedger {
  private readonly watermarks: string;
  private readonly ledger: string;

  constructor(private readonly schema: string) {
    const s = quoteIdentifier(schema);
    this.watermarks = `${s}.finmesh_poll_watermarks`;
    this.ledger = `${s}.finmesh_poll_ledger`;
  }

  /**
   * Serialises page transactions of one resource across instances. The leader lock already
   * makes one poller active, but a leader whose session just dropped may still be finishing a
   * page while its successor starts one; with this lock the later page sees the earlier one's
   * ledger entries instead of applying the same records a second time.
   */
  async lockResource(db: SqlExecutor, resource: string): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey(this.schema, `poll-page:${resource}`)]);
  }

  async watermark(db: SqlExecutor, resource: string): Promise<Date | undefined> {
    const rows = resultRows<{ watermark: Date }>(await db.query(`SELECT watermark FROM ${this.watermarks} WHERE resource = $1`, [resource]));
    return rows[0]?.watermark;
  }

  /** Moves the watermark forward only (a late page never moves it back). */
  async advanceWatermark(db: SqlExecutor, resource: string, to: Date): Promise<void> {
    await db.query(
      `INSERT INTO ${this.watermarks} (resource, watermark) VALUES ($1, $2)
       ON CONFLICT (resource) DO UPDATE SET watermark = GREATEST(${this.watermarks}.watermark, EXCLUDED.watermark), updated_at = clock_timestamp()`,
      [resource, to],
    );
  }

  /** Which of these records (key and version) are already in the ledger, and with what outcome. */
  async seen(db: SqlExecutor, resource: string, records: readonly PolledRecord<unknown>[]): Promise<Map<string, 'applied' | 'rejected'>> {
    if (records.length === 0) return new Map();
    const rows = resultRows<{ record_key: string; record_version: string; outcome: 'applied' | 'rejected' }>(
      await db.query(
        `SELECT record_key, record_version, outcome FROM ${this.ledger}
          WHERE resource = $1 AND (record_key, record_version) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
        [resource, records.map((r) => r.key), records.map((r) => r.version)],
      ),
    );
    return new Map(rows.map((r) => [ledgerId(r.record_key, r.record_version), r.outcome]));
  }

  async record(db: SqlExecutor, resource: string, entry: LedgerEntry): Promise<void> {
    await db.query(
      `INSERT INTO ${this.ledger} (resource, record_key, record_version, outcome, reason, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [resource, entry.key, entry.version, entry.outcome, entry.reason, entry.changedAt],
    );
  }

  /** Rejected records of a resource, newest first, for ops. */
  async rejected(db: SqlExecutor, resource: string, limit = 100): Promise<LedgerEntry[]> {
    const rows = resultRows<{ record_key: string; record_version: string; reason: string | null; changed_at: Date }>(
      await db.query(
        `SELECT record_key, record_version, reason, changed_at FROM ${this.ledger}
          WHERE resource = $1 AND outcome = 'rejected' ORDER BY recorded_at DESC LIMIT $2`,
        [resource, limit],
      ),
    );
    return rows.map((r) => ({ key: r.record_key, version: r.record_version, outcome: 'rejected', reason: r.reason, changedAt: r.changed_at }));
  }

  /** Forgets applied entries recorded before `before`: far older than any overlap window re-reads. */
  async prune(db: SqlExecutor, before: Date): Promise<number> {
    const rows = resultRows<{ n: string }>(
      await db.query(
        `WITH gone AS (DELETE FROM ${this.ledger} WHERE outcome = 'applied' AND recorded_at < $1 RETURNING 1) SELECT count(*)::text AS n FROM gone`,
        [before],
      ),
    );
    return Number(rows[0]?.n ?? 0);
  }
}

export function ledgerId(key: string, version: string): string {
  return `${key}\u0000${version}`;
}
