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
