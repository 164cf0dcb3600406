// Topic catalog
export * from './topics/topic-catalog';
export * from './topics/topic-provisioning';
export * from './topics/topic-inspection';
// Contracts and governance
export * from './schema/schema-catalog';
export * from './schema/schema-errors';
export * from './schema/compatibility';
export * from './schema/typescript-generator';
export * from './generated/events';
// Codec
export * from './codec/codec-errors';
export * from './codec/decimal';
export * from './codec/iso-time';
export * from './codec/logical-types';
export * from './codec/schema-validation';
export * from './codec/wire-format';
export * from './codec/event-codec';
export * from './codec/narrowed-schema';
// Registry
export * from './registry/registry-admin';
export * from './registry/contract-registration';
export * from './registry/registry-diff';
// Producing
export * from './producing/event-headers';
export * from './producing/publish-event';
// Provisioning
export * from './provisioning/contracts';
export * from './provisioning/provision-platform';
// Reliable messaging runtime
export * from './sql/sql-executor';
export * from './outbox/outbox-table';
export * from './outbox/outbox-writer';
export * from './outbox/outbox-relay';
export * from './observability/messaging-observer';
export * from './consuming/error-classification';
export * from './consuming/retry-policy';
export * from './consuming/inbox-table';
export * from './consuming/handler-context';
export * from './consuming/reliable-consumer';
export * from './dead-letter/dead-letter-headers';
export * from './dead-letter/dead-letter-publisher';
export * from './nest/finmesh-transport';
// Replay tooling (dead letters, consumer-group resets)
export * from './replay';
// Operations: dead-letter purge, consumer lag, masking decoded values for display
export * from './purge/purge-ledger';
export * from './purge/dead-letter-purge';
export * from './lag/consumer-lag';
export * from './masking/sensitive-fields';
export * from './projection';
// Audit trail (append-only, hash-chained)
export * from './audit';
// Tracing
export * from './tracing';
export * from './envelope/new-envelope';
