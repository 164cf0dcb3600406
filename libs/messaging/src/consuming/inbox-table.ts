import { quoteIdentifier, type SqlExecutor } from '@finmesh/persistence';

/**
 * The inbox: event ids a consumer group has applied. A handler's effects and its inbox row commit
 * in one transaction, so "applied" and "recorded as applied" can never disagree, and a redelivered
 * event (same id) finds its row and is skipped.
 */
export async function ensureInboxTable(db: SqlExecutor, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await db.query(`
    CREATE TABLE IF NOT EXISTS ${s}.finmesh_inbox (
      consumer_group text        NOT NULL,
      event_id       text        NOT NULL,
      topic          text        NOT NULL,
      kafka_partition integer    NOT NULL,
      kafka_offset   bigint      NOT NULL,
      processed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (consumer_group, event_id)
    )`);
}
