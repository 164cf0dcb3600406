import { quoteIdentifier, resultRows, type SqlExecutor } from './sql-executor';

/**
 * Creates `schema` only when it is missing. A service's role owns its schema but may not create
 * schemas (least privilege), and PostgreSQL checks that privilege even for CREATE SCHEMA IF NOT
 * EXISTS of a schema that exists: so the existence is asked first.
 */
export async function ensureSchema(db: SqlExecutor, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  const [found] = resultRows<{ present: boolean }>(await db.query('SELECT to_regnamespace($1) IS NOT NULL AS present', [s]));
  if (!found?.present) await db.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
}

/** The same inside a PL/pgSQL block (runSerialisedDdl's statements). */
export function ensureSchemaStatement(schema: string): string {
  const s = quoteIdentifier(schema);
  return `IF to_regnamespace('${s}') IS NULL THEN CREATE SCHEMA ${s}; END IF;`;
}
