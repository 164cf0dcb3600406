import type { SqlExecutor } from '../sql/sql-executor';
import { advisoryLockKey } from './advisory-lock-key';

/**
 * Runs idempotent DDL (CREATE ... IF NOT EXISTS, ADD COLUMN IF NOT EXISTS) one caller at a time
 * per schema and name, in one transaction: a service starts several consumers and sinks at once,
 * instances start together, and concurrent CREATE TABLE IF NOT EXISTS of one table collide in
 * pg_type ("duplicate key value violates unique constraint pg_type_typname_nsp_index"). The
 * statements run in a DO block, so they must not contain `$ddl$`; the lock key is inlined as a
 * quoted literal (a DO block takes no parameters).
 */
export async function runSerialisedDdl(db: SqlExecutor, schema: string, name: string, statements: string): Promise<void> {
  const key = advisoryLockKey(schema, name);
  await db.query(`
    DO $ddl$
    BEGIN
      PERFORM pg_advisory_xact_lock('${key}'::bigint);
      ${statements}
    END
    $ddl$`);
}
