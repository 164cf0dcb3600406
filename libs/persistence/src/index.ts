/**
 * `@finmesh/persistence`: the SQL primitives every library that stores something shares (an
 * executor that a TypeORM query runner, a pg client or a pool all satisfy, identifier quoting,
 * result rows). It loads neither TypeORM nor NestJS, so a rebuild worker thread can use it.
 */
export * from './sql/sql-executor';
