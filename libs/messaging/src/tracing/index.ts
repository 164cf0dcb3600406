// OpenTelemetry for finmesh events: process setup, W3C trace-context headers, and spans following
// one event from the business action through the outbox relay to the consuming handler.
// Test helpers (in-memory exporter) live in @finmesh/testing (tracing/span-capture.ts).
export * from './tracing-setup';
export * from './trace-headers';
export * from './event-spans';
export * from './semantic-attributes';
export * from './correlation-context';
