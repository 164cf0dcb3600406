import { ensureSchema, quoteIdentifier, type SqlExecutor } from '@finmesh/persistence';

/**
 * The pollers' state in the owning service's schema:
 *
 * - `finmesh_poll_watermarks`: per resource, the platform update time up to which every record
 *   has been committed. It moves in the same transaction as the records it covers, so a crash
 *   can only make the next poll re-read, never skip.
 * - `finmesh_poll_ledger`: every (resource, record key, record version) applied or rejected,
 *   written in the transaction that applied it. Re-reads of the same version are skipped, so
 *   overlapping windows and re-polled Coupa records cause no second effect; rejected versions
 *   keep their reason for ops.
 */
export async function ensurePollTables(db: SqlExecutor, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await ensureSchema(db, schema);
  await db.query(`
    CREATE TABLE IF NOT EXISTS ${s}.finmesh_poll_watermarks (
      resource    text        PRIMARY KEY,
      watermark   timestamptz NOT NULL,
      updated_at  timestamptz NOT NULL DEFAULT clock_timestamp()
    )`);
  await db.query(`
    CREATE TABLE IF NOT EXISTS ${s}.finmesh_poll_ledger (
      resource        text        NOT NULL,
      record_key      text        NOT NULL,
      record_version  text        NOT NULL,
      outcome         text        NOT NULL CHECK (outcome IN ('applied', 'rejected')),
      reason          text,
      changed_at      timestamptz NOT NULL,
      recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (resource, record_key, record_version)
    )`);
  await db.query(`CREATE INDEX IF NOT EXISTS finmesh_poll_ledger_recorded ON ${s}.finmesh_poll_ledger (recorded_at)`);
}
