import { advisoryLockKey, resultRows, type SqlExecutor } from '@finmesh/persistence';
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
  const [appended] = await appendAuditBatch(exec, [entry], options);
  return appended!;
}

/**
 * Appends several rows in the given order with three round trips in all (lock; last hash + ids +
 * clock; one multi-row INSERT), so a consumer batch that audits hundreds of transitions holds the
 * chain lock for milliseconds, not hundreds of statements.
 */
export async function appendAuditBatch(exec: SqlExecutor, entries: readonly AuditEntryInput[], options?: AuditTableOptions): Promise<AppendedAudit[]> {
  if (entries.length === 0) return [];
  const schema = auditSchemaOf(options);
  const table = auditTableName(schema);
  await exec.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey(schema, 'audit-chain')]);
  // One statement after the lock: its snapshot already sees the last committed appender's row.
  const [head] = resultRows<{ last_hash: string | null; ids: string[]; recorded_at: string }>(
    await exec.query(
      `SELECT (SELECT hash FROM ${table} ORDER BY id DESC LIMIT 1) AS last_hash,
              ARRAY(SELECT nextval(pg_get_serial_sequence($1, 'id'))::text FROM generate_series(1, $2::int)) AS ids,
              to_char(clock_timestamp() AT TIME ZONE 'UTC', ${AUDIT_TIMESTAMP_SQL_FORMAT}) AS recorded_at`,
      [table, entries.length],
    ),
  );
  if (!head || head.ids.length !== entries.length) throw new Error(`could not allocate ${entries.length} id(s) in ${table}`);
  const ids = [...head.ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));

  let prevHash = head.last_hash;
  const rows: Array<{ content: AuditRowContent; hash: string }> = [];
  for (const [i, entry] of entries.entries()) {
    const content: AuditRowContent = {
      id: ids[i]!,
      recordedAt: head.recorded_at,
      occurredAt: auditTimestamp(entry.occurredAt ?? new Date(head.recorded_at)),
      entityType: entry.entityType,
      entityId: entry.entityId,
      action: entry.action,
      actor: entry.actor,
      before: maskAuditSummary(entry.before),
      after: maskAuditSummary(entry.after),
      causingEventId: entry.causingEventId,
      correlationId: entry.correlationId ?? null,
      service: entry.service,
      prevHash,
    };
    const hash = auditRowHash(content);
    rows.push({ content, hash });
    prevHash = hash;
  }

  // 14 parameters a row; PostgreSQL takes at most 65535 per statement.
  for (let from = 0; from < rows.length; from += INSERT_CHUNK) await insertRows(exec, table, rows.slice(from, from + INSERT_CHUNK));
  return rows.map(({ content, hash }) => ({ id: content.id, hash }));
}

const INSERT_CHUNK = 1000;

async function insertRows(exec: SqlExecutor, table: string, rows: ReadonlyArray<{ content: AuditRowContent; hash: string }>): Promise<void> {
  const columns = 14;
  const params: unknown[] = [];
  const tuples = rows.map(({ content: c, hash }, r) => {
    params.push(
      c.id, c.occurredAt, c.recordedAt, c.entityType, c.entityId, c.action, c.actor,
      c.before === null ? null : canonicalJson(c.before),
      c.after === null ? null : canonicalJson(c.after),
      c.causingEventId, c.correlationId, c.service, c.prevHash, hash,
    );
    const p = (k: number) => `$${r * columns + k}`;
    return `(${p(1)}::bigint, ${p(2)}::timestamptz, ${p(3)}::timestamptz, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}::jsonb, ${p(9)}::jsonb, ${p(10)}, ${p(11)}, ${p(12)}, ${p(13)}, ${p(14)})`;
  });
  await exec.query(
    `INSERT INTO ${table}
       (id, occurred_at, recorded_at, entity_type, entity_id, action, actor, before, after,
        causing_event_id, correlation_id, service, prev_hash, hash)
     VALUES ${tuples.join(', ')}`,
    params,
  );
}
