import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one transaction on a client of `pool`: COMMIT when it resolves, ROLLBACK when it
 * throws (the error is rethrown), the client released either way. For code that holds a pg Pool
 * rather than a TypeORM DataSource (workers, test processes).
 */
export function pgTransactionRunner(pool: Pool): <R>(work: (client: PoolClient) => Promise<R>) => Promise<R> {
  return async (work) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
}
