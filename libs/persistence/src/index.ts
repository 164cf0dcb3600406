/**
 * `@finmesh/persistence`: the SQL primitives every library that stores something shares (an
 * executor that a TypeORM query runner, a pg client or a pool all satisfy, identifier quoting,
 * result rows), the one advisory-lock key derivation, and the one way to reach the pg pool behind
 * a TypeORM DataSource. It loads neither TypeORM nor NestJS (types only), so a rebuild worker
 * thread can use it.
 */
export * from './sql/sql-executor';
export * from './sql/ensure-schema';
export * from './locks/advisory-lock-key';
export * from './pool/postgres-pool';
export * from './locks/session-leadership';
export * from './locks/serialised-ddl';
export * from './sql/pg-transaction';
