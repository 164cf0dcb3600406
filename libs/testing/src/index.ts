export * from './test-environment';
// Schema-driven sample values (decimal strings, Dates, ISO dates in 'logical' mode) live with the contracts.
export { sampleValue, type SampleMode } from '@finmesh/contracts';
export * from './messaging-fixtures';
export * from './processes/spawn-process';
export * from './tracing/span-capture';
export * from './messaging-test-bed';
export * from './topic-recorder';
export * from './service-under-test';
export * from './ingress-test-bed';
export * from './event-history/source-to-pay-history';
export * as eventBuilders from './event-history/event-builders';
export * from './event-history/history-publisher';
export * from './metrics-exposition';
export * from './sensitive-data/planted-sensitive-data';
