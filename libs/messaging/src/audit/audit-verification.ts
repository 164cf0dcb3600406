import { resultRows, type SqlExecutor } from '@finmesh/persistence';
import type { AuditRowContent } from './audit-entry';
import { auditRowHash } from './audit-hash';
import { auditSchemaOf, auditTableName, type AuditTableOptions } from './audit-table';
import { AUDIT_TIMESTAMP_SQL_FORMAT } from './audit-writer';

export interface AuditVerification {
  readonly ok: boolean;
  readonly rowsChecked: number;
  /** The first row that does not verify, and why; absent when ok. */
  readonly firstBadRow?: { readonly id: string; readonly reason: string };
  /** Hash of the last row that verified (compare with an externally kept copy to detect tail removal). */
  readonly lastHash: string | null;
}

export interface VerifyAuditOptions extends AuditTableOptions {
  /** Rows read per round trip; the table is paged through, never loaded whole. Default 1000. */
  readonly pageSize?: number;
  /** Called after each page, for progress output on long chains. */
  readonly onProgress?: (rowsChecked: number) => void;
}

interface StoredAuditRow {
  id: string;
  occurred_at: string;
  recorded_at: string;
  entity_type: string;
  entity_id: string;
  action: string;
  actor: string;
  before: string | null;
  after: string | null;
  causing_event_id: string | null;
  correlation_id: string | null;
  service: string;
  prev_hash: string | null;
  hash: string;
}

/**
 * Re-walks the chain in id order and names the first row that breaks it:
 * - its prev_hash is not the previous row's hash: a row before it was removed, inserted out of
 *   order, or rewritten together with its own hash;
 * - its content does not hash to its stored hash: the row itself was changed.
 * Id gaps alone are not an error (a rolled-back append consumes an id); removals show up as a
 * broken link instead. Removing rows at the very end leaves a valid, shorter chain: compare
 * `lastHash` with a copy kept elsewhere to catch that.
 *
 * Ordering is by the bigint column (a.id), not the text alias, or row 10 would sort before 2.
 * Values are read back as text (timestamps in the writer's format, jsonb as JSON text) so the
 * check does not depend on the driver's type parsers.
 */
export async function verifyAuditChain(exec: SqlExecutor, options?: VerifyAuditOptions): Promise<AuditVerification> {
  const table = auditTableName(auditSchemaOf(options));
  const pageSize = options?.pageSize ?? 1000;
  let afterId = '0';
  let expectedPrev: string | null = null;
  let rowsChecked = 0;
  for (;;) {
    const rows = resultRows<StoredAuditRow>(
      await exec.query(
        `SELECT id::text AS id,
                to_char(occurred_at AT TIME ZONE 'UTC', ${AUDIT_TIMESTAMP_SQL_FORMAT}) AS occurred_at,
                to_char(recorded_at AT TIME ZONE 'UTC', ${AUDIT_TIMESTAMP_SQL_FORMAT}) AS recorded_at,
                entity_type, entity_id, action, actor, before::text AS before, after::text AS after,
                causing_event_id, correlation_id, service, prev_hash, hash
           FROM ${table} AS a WHERE a.id > $1::bigint ORDER BY a.id LIMIT $2`,
        [afterId, pageSize],
      ),
    );
    for (const row of rows) {
      const reason = checkRow(row, expectedPrev);
      if (reason) return { ok: false, rowsChecked, firstBadRow: { id: row.id, reason }, lastHash: expectedPrev };
      rowsChecked += 1;
      expectedPrev = row.hash;
    }
    options?.onProgress?.(rowsChecked);
    if (rows.length < pageSize) return { ok: true, rowsChecked, lastHash: expectedPrev };
    afterId = rows[rows.length - 1]!.id;
  }
}

function checkRow(row: StoredAuditRow, expectedPrev: string | null): string | null {
  if (row.prev_hash !== expectedPrev) {
    return expectedPrev === null
      ? `prev_hash is ${row.prev_hash} but this is the first row: the rows before it were removed`
      : `prev_hash ${row.prev_hash ?? 'null'} does not link to the previous row's hash ${expectedPrev}: a row was removed, reordered or rewritten`;
  }
  const content: AuditRowContent = {
    id: row.id,
    recordedAt: row.recorded_at,
    occurredAt: row.occurred_at,
    entityType: row.entity_type,
    entityId: row.entity_id,
    action: row.action,
    actor: row.actor,
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
    causingEventId: row.causing_event_id,
    correlationId: row.correlation_id,
    service: row.service,
    prevHash: row.prev_hash,
  };
  const recomputed = auditRowHash(content);
  return recomputed === row.hash ? null : `content does not match its hash (stored ${row.hash}, recomputed ${recomputed}): the row was changed`;
}
