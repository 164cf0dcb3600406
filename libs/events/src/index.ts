// Topic catalog
export * from './topics/topic-catalog';
export * from './topics/topic-provisioning';
// Contracts and governance
export * from './schema/schema-catalog';
export * from './schema/schema-errors';
export * from './schema/compatibility';
export * from './schema/typescript-generator';
export * from './generated/events';
// Codec
export * from './codec/codec-errors';
export * from './codec/decimal';
export * from './codec/logical-types';
export * from './codec/schema-validation';
export * from './codec/wire-format';
export * from './codec/event-codec';
// Registry
export * from './registry/registry-admin';
export * from './registry/contract-registration';
// Producing
export * from './producing/event-headers';
export * from './producing/publish-event';
// Provisioning
export * from './provisioning/contracts';
export * from './provisioning/provision-platform';
