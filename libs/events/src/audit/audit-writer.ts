import { resultRows, type SqlExecutor } from '../sql/sql-executor';
import type { AuditEntryInput, AuditRowContent } from './audit-entry';
import { auditRowHash, auditTimestamp, canonicalJson } from './audit-hash';
import { maskAuditSummary } from './audit-masking';
import { auditSchemaOf, auditTableName, type AuditTableOptions } from './audit-table';

/** SQL rendering of a timestamptz as the exact text the hash covers (UTC, milliseconds). */
export const AUDIT_TIMESTAMP_SQL_FORMAT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export interface AppendedAudit {
  readonly id: string;
  readonly hash: string;
}

/**
 * Appends one audit row inside the caller's transaction, so the row commits (or rolls back)
 * with the state change it describes.
 *
 * The chain needs a total order: a transaction advisory lock serialises appenders across all
 * services until their transactions end, so the "last row" each appender links to is the last
 * committed one, and ids (taken under the lock) follow the chain. The lock is held until the
 * caller commits, so append as the LAST statement of the transaction to keep the hold short.
 * Rolled-back appends leave id gaps, which is why verification follows hashes, not ids.
 */
export async function appendAudit(exec: SqlExecutor, entry: AuditEntryInput, options?: AuditTableOptions): Promise<AppendedAudit> {
  const schema = auditSchemaOf(options);
  const table = auditTableName(schema);
  await exec.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`finmesh-audit-chain:${schema}`]);
  const [last] = resultRows<{ hash: string }>(await exec.query(`SELECT hash FROM ${table} ORDER BY id DESC LIMIT 1`));
  const [next] = resultRows<{ id: string; recorded_at: string }>(
    await exec.query(
      `SELECT nextval(pg_get_serial_sequence($1, 'id'))::text AS id,
              to_char(clock_timestamp() AT TIME ZONE 'UTC', ${AUDIT_TIMESTAMP_SQL_FORMAT}) AS recorded_at`,
      [table],
    ),
  );
  if (!next) throw new Error(`could not allocate an id in ${table}`);

  const content: AuditRowContent = {
    id: next.id,
    recordedAt: next.recorded_at,
    occurredAt: auditTimestamp(entry.occurredAt ?? new Date(next.recorded_at)),
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    actor: entry.actor,
    before: maskAuditSummary(entry.before),
    after: maskAuditSummary(entry.after),
    causingEventId: entry.causingEventId,
    correlationId: entry.correlationId ?? null,
    service: entry.service,
    prevHash: last?.hash ?? null,
  };
  const hash = auditRowHash(content);
  await exec.query(
    `INSERT INTO ${table}
       (id, occurred_at, recorded_at, entity_type, entity_id, action, actor, before, after,
        causing_event_id, correlation_id, service, prev_hash, hash)
     VALUES ($1::bigint, $2::timestamptz, $3::timestamptz, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13, $14)`,
    [
      content.id,
      content.occurredAt,
      content.recordedAt,
      content.entityType,
      content.entityId,
      content.action,
      content.actor,
      content.before === null ? null : canonicalJson(content.before),
      content.after === null ? null : canonicalJson(content.after),
      content.causingEventId,
      content.correlationId,
      content.service,
      content.prevHash,
      hash,
    ],
  );
  return { id: content.id, hash };
}
