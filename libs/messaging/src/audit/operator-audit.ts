import type { Pool } from 'pg';
import type { AuditEntryInput } from './audit-entry';
import { ensureAuditTable, type AuditTableOptions } from './audit-table';
import { appendAuditBatch, type AppendedAudit } from './audit-writer';
import type { SqlExecutor } from '@finmesh/persistence';

/** Service name operator tools write under unless told otherwise. */
export const OPS_AUDIT_SERVICE = 'finmesh-ops';

/**
 * Opt-in audit of an operator action run by a library function (dead-letter replay, consumer-group
 * reset). The actor is the action's own `actor` option where it has one.
 */
export interface OperatorAuditOptions extends AuditTableOptions {
  /** Service/tool recorded on the rows; default finmesh-ops. */
  readonly service?: string;
}

/**
 * Runs `fn` and appends the entries it returns in ONE transaction of its own on `pool`.
 * appendAudit must never be given a Pool directly: its advisory lock, read of the last hash and
 * insert would run on different connections, and the chain could fork.
 */
export async function inAuditedTransaction<T>(
  pool: Pool,
  options: AuditTableOptions | undefined,
  fn: (tx: SqlExecutor) => Promise<{ result: T; audit: readonly AuditEntryInput[] }>,
): Promise<{ result: T; appended: AppendedAudit[] }> {
  const client = await pool.connect();
  try {
    await ensureAuditTable(client, options);
    await client.query('BEGIN');
    const { result, audit } = await fn(client);
    const appended = await appendAuditBatch(client, audit, options);
    await client.query('COMMIT');
    return { result, appended };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Appends one entry in its own transaction (for actions whose effect is outside PostgreSQL, e.g. Kafka offsets). */
export async function appendAuditInOwnTransaction(pool: Pool, entry: AuditEntryInput, options?: AuditTableOptions): Promise<AppendedAudit> {
  const { appended } = await inAuditedTransaction(pool, options, async () => ({ result: undefined, audit: [entry] }));
  return appended[0]!;
}
