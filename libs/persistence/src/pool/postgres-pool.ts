import { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The pg `Pool` behind a TypeORM DataSource, for the few hot paths that need the driver itself:
 * COPY, LISTEN, a session that holds an advisory lock across transactions, or watching the pool's
 * waiters for back-pressure. Everything else goes through TypeORM (DataSource.transaction, a
 * query runner, or a store given the transaction's EntityManager).
 *
 * TypeORM's PostgresDriver keeps the pool in `master` (typed `any`); it exists once the DataSource
 * is initialised. Checking `instanceof Pool` proves it is pg's pool instead of assuming it, so a
 * change of driver fails here, loudly, rather than somewhere in a COPY.
 *
 * Only a type is imported from TypeORM, so this module still loads no ORM (a rebuild worker
 * thread can import @finmesh/persistence). Services reach it through service-kit's
 * `DatabaseConnection.pgPool()`; the messaging runtime, which sits below service-kit, calls it here.
 *
 * @returns the pool, or undefined while the DataSource is not initialised (or is not PostgreSQL).
 */
export function postgresPoolOf(dataSource: DataSource): Pool | undefined {
  const driver = dataSource.driver;
  if (driver.options.type !== 'postgres' || !('master' in driver)) return undefined;
  const master: unknown = driver.master;
  return master instanceof Pool ? master : undefined;
}
