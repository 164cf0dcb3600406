import { ensureSchemaStatement, quoteIdentifier, runSerialisedDdl, type SqlExecutor } from '@finmesh/persistence';

/**
 * The inbox: event ids a consumer group has applied. A handler's effects and its inbox row commit
 * in one transaction, so "applied" and "recorded as applied" can never disagree, and a redelivered
 * event (same id) finds its row and is skipped. `content_hash` is the content digest of the event
 * applied under that id (EventCodec.contentDigest: SHA-256 of its reader-schema Avro encoding,
 * prefixed with the scheme): the same id coming back with other content is a conflict,
 * dead-lettered by every consumer alike (rows from before the column, or with the canonical-JSON
 * hash of an earlier build, are not compared).
 */
export async function ensureInboxTable(db: SqlExecutor, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  // Serialised: a service starts several consumers at once (its transport, its write-back sinks).
  await runSerialisedDdl(
    db,
    schema,
    'inbox-ddl',
    `${ensureSchemaStatement(schema)}
     CREATE TABLE IF NOT EXISTS ${s}.finmesh_inbox (
       consumer_group text        NOT NULL,
       event_id       text        NOT NULL,
       topic          text        NOT NULL,
       kafka_partition integer    NOT NULL,
       kafka_offset   bigint      NOT NULL,
       processed_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
       PRIMARY KEY (consumer_group, event_id)
     );
     ALTER TABLE ${s}.finmesh_inbox ADD COLUMN IF NOT EXISTS content_hash text;`,
  );
}
