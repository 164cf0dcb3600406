import { ensureSchema, quoteIdentifier, type SqlExecutor } from '@finmesh/persistence';
import { createTableSql, qualified, type TableSpec } from './read-model-table';

/** Creates the read-model tables in `schema` (idempotent). */
export async function createReadModelTables(exec: SqlExecutor, schema: string, tables: readonly TableSpec[]): Promise<void> {
  await ensureSchema(exec, schema);
  for (const spec of tables) for (const sql of createTableSql(schema, spec)) await exec.query(sql);
}

/**
 * Swaps rebuilt tables in for the live ones inside the caller's transaction: each live table
 * moves to `retiredSchema`, each staging table moves into the live schema. PostgreSQL DDL is
 * transactional, so readers see all old tables or all new ones, never a mix; they wait for the
 * commit rather than fail.
 */
export async function switchReadModelTables(
  exec: SqlExecutor,
  tables: readonly TableSpec[],
  schemas: { live: string; staging: string; retired: string },
): Promise<void> {
  await exec.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schemas.retired)} CASCADE`);
  await exec.query(`CREATE SCHEMA ${quoteIdentifier(schemas.retired)}`);
  for (const spec of tables) {
    await exec.query(`ALTER TABLE IF EXISTS ${qualified(schemas.live, spec.name)} SET SCHEMA ${quoteIdentifier(schemas.retired)}`);
    await exec.query(`ALTER TABLE ${qualified(schemas.staging, spec.name)} SET SCHEMA ${quoteIdentifier(schemas.live)}`);
  }
}
