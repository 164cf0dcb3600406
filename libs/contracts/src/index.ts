/**
 * `@finmesh/contracts`: what every producer and consumer of finmesh events agrees on, and nothing
 * that runs a service. The topic catalog, the Avro contracts and their governance (catalog,
 * compatibility, released lock, registry registration), the generated TypeScript types, the codec
 * (Confluent wire format, logical types) and the envelope. It depends on no other finmesh library.
 */
// Topic catalog
export * from './topics/topic-catalog';
export * from './topics/topic-provisioning';
// Kafka access: principals, client security settings, the ACLs derived from the catalog
export * from './kafka-access/kafka-principals';
export * from './kafka-access/kafka-client-settings';
export * from './kafka-access/topic-acls';
// Contracts and governance
export * from './schema/schema-catalog';
export * from './schema/schema-errors';
export * from './schema/compatibility';
export * from './schema/released-lock';
export * from './schema/typescript-generator';
export * from './schema/generated-types';
export * from './schema/contract-check';
export * from './schema/sample-value';
export * from './generated/events';
// Money: exact decimal arithmetic, decimal text, the contract scales
export * from './money/contract-scales';
export * from './money/decimal-text';
export * from './money/decimal';
export * from './money/decimal-strings';
export * from './money/unscaled';
export * from './money/json-number';
// Business rules of the events (schemas/business-rules.json) and the code lists they check
export * from './business-rules/financial-formats';
export * from './business-rules/business-rule-set';
// Codec
export * from './codec/codec-errors';
export * from './codec/decimal';
export * from './codec/iso-time';
export * from './codec/logical-types';
export * from './codec/schema-validation';
export * from './codec/wire-format';
export * from './codec/event-codec';
export * from './codec/narrowed-schema';
// Registry: subjects, compatibility rules, registration of the local contracts
export * from './registry/registry-admin';
export * from './registry/contract-registration';
// The catalog as an AsyncAPI document (docs/asyncapi.json)
export * from './asyncapi/asyncapi-document';
// Provisioning: topics and subjects of a (prefixed) platform
export * from './provisioning/contracts';
export * from './provisioning/provision-platform';
// Whether an invoice is paid: one rule for every service
export * from './settlement/settlement-coverage';
// Which version of a document wins: one rule for every consumer
export * from './ordering/document-revision';
// Envelope of a new event
export * from './envelope/new-envelope';
// Sensitive data in decoded events (finmesh dlt show)
export * from './sensitive-data/sensitive-fields';
// One sensitive-data policy: the contracts' "finmesh.sensitive" fields plus the platforms' names
export * from './sensitive-data/sensitive-kinds';
export * from './sensitive-data/sensitive-data-policy';
// Field problems of a payload against a zod schema (HTTP request schemas, platform payload schemas)
export * from './payload-validation/schema-problems';
