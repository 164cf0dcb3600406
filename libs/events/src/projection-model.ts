/**
 * `@finmesh/events/projection-model`: what a projection's own code is written with (rows and
 * their stores, projected events, the event types and the topic catalog) and nothing of the
 * messaging runtime. A rebuild's worker threads load the projection module, and through it this
 * entry point; importing the whole `@finmesh/events` there loaded NestJS, OpenTelemetry, ajv and
 * a thousand more modules into every worker, about 0.4 s of CPU each before reading could start.
 */
export * from './projection/maybe-async';
export * from './projection/read-model-table';
export * from './projection/row-store';
export * from './projection/read-model-projection';
export * from './topics/topic-catalog';
export * from './generated/events';
export type { FieldPaths } from './codec/narrowed-schema';
export { isoDay, isoTimestamp } from './codec/iso-time';
