/**
 * `@finmesh/messaging`: the reliable messaging runtime. Producing with the transactional outbox,
 * idempotent consumers (inbox, retries with backoff, dead letters), the NestJS transport, event
 * tracing and the hash-chained audit trail. Built on `@finmesh/contracts` and
 * `@finmesh/persistence`.
 */
// Canonical content (hashing)
export * from './content/canonical-content';
// Producing
export * from './producing/event-headers';
export * from './producing/publish-event';
// Outbox
export * from './outbox/outbox-table';
export * from './outbox/outbox-writer';
export * from './outbox/outbox-relay';
// Consuming
export * from './observability/messaging-observer';
export * from './consuming/error-classification';
export * from './consuming/retry-policy';
export * from './consuming/inbox-table';
export * from './consuming/handler-context';
export * from './consuming/reliable-consumer';
// Dead letters
export * from './dead-letter/dead-letter-headers';
export * from './dead-letter/dead-letter-publisher';
// NestJS transport
export * from './nest/finmesh-transport';
// Audit trail (append-only, hash-chained)
export * from './audit';
// Tracing
export * from './tracing';
