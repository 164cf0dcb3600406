import { ensureSchemaStatement, quoteIdentifier, runSerialisedDdl, type SqlExecutor } from '@finmesh/persistence';

/**
 * The delivery ledger in the owning service's schema, `finmesh_delivery_ledger`: one row per
 * (sink, delivery key), where the sink is `platform:flow` and the delivery key the idempotency
 * key derived from the event id and the target.
 *
 * - `pending`: at least one attempt was made and none is known to have landed. A pending row
 *   with attempts > 0 is also what a crash between the platform's 2xx and the commit leaves
 *   behind, which is why the next attempt is told about it (and looks the natural key up).
 * - `delivered`: written in the consumer's transaction, with its inbox row, so a redelivered
 *   or replayed event finds it and makes no second call. The platform answered for good: 2xx, or
 *   a refusal its flow applies as an outcome of its own (`answer_status` and `answer_code` say
 *   which, e.g. an ERP posting rejected for a closed period).
 * - `failed`: the platform refused for good; the event went to the dead-letter topic.
 */
export async function ensureDeliveryTables(db: SqlExecutor, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  // Serialised: the flows of a service (and instances starting together) ensure it at once.
  await runSerialisedDdl(
    db,
    schema,
    'delivery-ledger-ddl',
    `${ensureSchemaStatement(schema)}
     CREATE TABLE IF NOT EXISTS ${s}.finmesh_delivery_ledger (
       sink              text        NOT NULL,
       delivery_key      text        NOT NULL,
       event_id          text        NOT NULL,
       business_key      text,
       natural_key       text,
       status            text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
       attempts          integer     NOT NULL DEFAULT 0,
       answer_status     integer,
       answer            text,
       failure_code      text,
       first_attempt_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
       last_attempt_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
       delivered_at      timestamptz,
       PRIMARY KEY (sink, delivery_key)
     );
     -- Added after the first release of the table: ledgers created before it gain the columns
     -- (the event's occurredAt; the flow's code for what a delivered answer meant, PlatformAnswer.code).
     ALTER TABLE ${s}.finmesh_delivery_ledger ADD COLUMN IF NOT EXISTS event_occurred_at timestamptz;
     ALTER TABLE ${s}.finmesh_delivery_ledger ADD COLUMN IF NOT EXISTS answer_code text;
     CREATE INDEX IF NOT EXISTS finmesh_delivery_ledger_natural ON ${s}.finmesh_delivery_ledger (sink, natural_key) WHERE natural_key IS NOT NULL;
     CREATE INDEX IF NOT EXISTS finmesh_delivery_ledger_open ON ${s}.finmesh_delivery_ledger (sink, status) WHERE status <> 'delivered';`,
  );
}
