import { ensureSchemaStatement, quoteIdentifier, resultRows, runSerialisedDdl, type SqlExecutor } from '@finmesh/persistence';

/** Schema of the one audit table all services share. */
export const DEFAULT_AUDIT_SCHEMA = 'finmesh_audit';
export const AUDIT_TABLE = 'audit_log';
const GUARD_TRIGGERS = ['audit_log_no_update_delete', 'audit_log_no_truncate'] as const;

export interface AuditTableOptions {
  /** Schema holding audit_log; tests use their own so tampering experiments never touch the real chain. */
  readonly schema?: string;
}

export function auditSchemaOf(options?: AuditTableOptions): string {
  return options?.schema ?? DEFAULT_AUDIT_SCHEMA;
}

/** `"schema".audit_log`, validated. */
export function auditTableName(schema: string): string {
  return `${quoteIdentifier(schema)}.${AUDIT_TABLE}`;
}

/**
 * Whether the audit table exists in the schema (without creating it): readers such as the ops
 * CLI's `audit verify` must not create an empty trail and then report it intact.
 */
export async function auditTableExists(exec: SqlExecutor, options?: AuditTableOptions): Promise<boolean> {
  const [row] = resultRows<{ t: string | null }>(await exec.query('SELECT to_regclass($1) AS t', [auditTableName(auditSchemaOf(options))]));
  return Boolean(row?.t);
}

/**
 * Creates the audit table and its append-only guards (idempotent).
 *
 * The guards are triggers, not just missing grants, so that even the services' own (owner) role
 * is refused: row-level BEFORE UPDATE/DELETE and statement-level BEFORE TRUNCATE raise. A
 * superuser can still disable triggers; the hash chain (see appendAudit / verifyAuditChain) is
 * what makes such tampering detectable.
 *
 * Everything runs as one DO block under a transaction advisory lock: four services start at once
 * and would otherwise race on CREATE OR REPLACE FUNCTION ("tuple concurrently updated"). A DO
 * block is one statement, so the lock holds for all of it even on an autocommit pool.
 */
export async function ensureAuditTable(exec: SqlExecutor, options?: AuditTableOptions): Promise<void> {
  const schema = auditSchemaOf(options);
  const s = quoteIdentifier(schema);
  const table = auditTableName(schema);
  const refusal = `${schema}.${AUDIT_TABLE} is append-only: % is refused`;
  // Fast path: table and both guards exist. Re-running the DDL would take the table lock that
  // CREATE OR REPLACE TRIGGER needs and make every service start (and every ops action) queue
  // behind appenders.
  const [existing] = resultRows<{ guards: number }>(
    await exec.query(`SELECT count(*)::int AS guards FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = ANY($2::text[])`, [table, [...GUARD_TRIGGERS]]),
  );
  if (existing?.guards === GUARD_TRIGGERS.length) return;
  await runSerialisedDdl(
    exec,
    schema,
    'audit-ddl',
    `
      ${ensureSchemaStatement(schema)}
      CREATE TABLE IF NOT EXISTS ${table} (
        id               bigserial   PRIMARY KEY,
        occurred_at      timestamptz NOT NULL,
        recorded_at      timestamptz NOT NULL,
        entity_type      text        NOT NULL,
        entity_id        text        NOT NULL,
        action           text        NOT NULL,
        actor            text        NOT NULL,
        before           jsonb,
        after            jsonb,
        causing_event_id text,
        correlation_id   text,
        service          text        NOT NULL,
        prev_hash        text,
        hash             text        NOT NULL UNIQUE
      );
      CREATE INDEX IF NOT EXISTS audit_log_entity ON ${table} (entity_type, entity_id, id);
      CREATE OR REPLACE FUNCTION ${s}.audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION '${refusal}', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'audit rows are never changed or removed; append a correcting row instead';
      END $fn$;
      CREATE OR REPLACE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ${s}.audit_log_append_only();
      CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.audit_log_append_only();
      -- Where the database has finmesh's roles (infra/postgres/init.sql), every service appends to
      -- the log, whichever created it, and the auditor reads it; nobody else is granted anything.
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'finmesh_service') THEN
        GRANT USAGE ON SCHEMA ${s} TO finmesh_service;
        GRANT SELECT, INSERT ON ${table} TO finmesh_service;
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO finmesh_service;
      END IF;
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'finmesh_auditor') THEN
        GRANT USAGE ON SCHEMA ${s} TO finmesh_auditor;
        GRANT SELECT ON ${table} TO finmesh_auditor;
      END IF;`,
  );
}
