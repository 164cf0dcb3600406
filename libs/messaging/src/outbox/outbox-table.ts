import { ensureSchema, quoteIdentifier, resultRows, type SqlExecutor } from '@finmesh/persistence';

/** NOTIFY channel of a schema's outbox; the relay LISTENs on it so idle latency is one round trip. */
export function outboxChannel(schema: string): string {
  return `finmesh_outbox_${schema}`;
}

/**
 * The transactional outbox of one service schema. A row holds the exact bytes that will be
 * produced (Confluent wire format), so what was committed is what reaches Kafka, byte for byte.
 * A statement-level trigger NOTIFYs on insert; PostgreSQL delivers it only when the writing
 * transaction commits, so the relay never sees uncommitted events.
 */
export async function ensureOutboxTable(db: SqlExecutor, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await ensureSchema(db, schema);
  await db.query(`
    CREATE TABLE IF NOT EXISTS ${s}.finmesh_outbox (
      id            bigserial PRIMARY KEY,
      event_id      uuid        NOT NULL UNIQUE,
      event_type    text        NOT NULL,
      topic         text        NOT NULL,
      message_key   text        NOT NULL,
      value         bytea       NOT NULL,
      headers       jsonb       NOT NULL DEFAULT '{}'::jsonb,
      traceparent   text,
      created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
      published_at  timestamptz
    )`);
  await db.query(`CREATE INDEX IF NOT EXISTS finmesh_outbox_pending ON ${s}.finmesh_outbox (id) WHERE published_at IS NULL`);
  await db.query(`
    CREATE OR REPLACE FUNCTION ${s}.finmesh_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${outboxChannel(schema)}', '');
      RETURN NULL;
    END $$`);
  await db.query(`DROP TRIGGER IF EXISTS finmesh_outbox_notify ON ${s}.finmesh_outbox`);
  await db.query(`
    CREATE TRIGGER finmesh_outbox_notify AFTER INSERT ON ${s}.finmesh_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION ${s}.finmesh_outbox_notify()`);
}

/** How far the relay is behind: events not yet published, and the age of the oldest (0 when none). */
export interface OutboxBacklog {
  readonly pending: number;
  readonly oldestSeconds: number;
}

/**
 * Reads a schema's outbox backlog (for the messaging gauges). Served by the partial index
 * finmesh_outbox_pending (published_at IS NULL), so it stays cheap however many rows were published.
 */
export async function outboxBacklog(db: SqlExecutor, schema: string): Promise<OutboxBacklog> {
  const [row] = resultRows<{ pending: number; oldest: number }>(
    await db.query(
      `SELECT count(*)::int AS pending, coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 AS oldest
           FROM ${quoteIdentifier(schema)}.finmesh_outbox WHERE published_at IS NULL`,
    ),
  );
  return { pending: row?.pending ?? 0, oldestSeconds: row?.oldest ?? 0 };
}
