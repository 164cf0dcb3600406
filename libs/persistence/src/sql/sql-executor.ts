/**
 * The one thing the runtime needs from a database handle: run a parameterised statement inside
 * the caller's transaction. TypeORM's EntityManager and QueryRunner, and pg's PoolClient, all fit,
 * so services keep their ORM and the runtime stays independent of it.
 */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Quotes a schema or table identifier (validated: lower-case SQL identifiers only). */
export function quoteIdentifier(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(identifier)) {
    throw new Error(`'${identifier}' is not a valid lower-case SQL identifier`);
  }
  return `"${identifier}"`;
}

/**
 * The rows of a query result, whichever executor ran it: TypeORM's `query()` resolves to the row
 * array (for SELECT and INSERT ... RETURNING), pg's `query()` to `{ rows }`.
 */
export function resultRows<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[];
  if (result !== null && typeof result === 'object' && Array.isArray((result as { rows?: unknown }).rows)) {
    return (result as { rows: Row[] }).rows;
  }
  throw new Error('the SQL executor returned neither a row array nor a { rows } result');
}
