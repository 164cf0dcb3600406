/**
 * Kafka record headers every finmesh event carries, so routers, dead-letter tooling and tracing can
 * act on a record without decoding its Avro body.
 */
export const EVENT_HEADERS = {
  eventType: 'finmesh-event-type',
  eventId: 'finmesh-event-id',
  schemaId: 'finmesh-schema-id',
  correlationId: 'finmesh-correlation-id',
  causationId: 'finmesh-causation-id',
  traceparent: 'traceparent',
} as const;
