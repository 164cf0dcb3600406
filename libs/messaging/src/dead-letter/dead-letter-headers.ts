/**
 * Headers a dead-letter record carries in addition to the original record's own headers.
 * The dead-letter record keeps the original key and value bytes untouched, so a replay
 * re-publishes exactly what the producer sent.
 */
export const DEAD_LETTER_HEADERS = {
  /** PERMANENT (undecodable, unknown schema, invalid business content) or TRANSIENT_EXHAUSTED. */
  errorClass: 'finmesh-dlt-error-class',
  /** Machine-readable error code, e.g. UNKNOWN_SCHEMA_ID, MALFORMED_WIRE_FORMAT, BUSINESS_RULE. */
  errorCode: 'finmesh-dlt-error-code',
  errorMessage: 'finmesh-dlt-error-message',
  originalTopic: 'finmesh-dlt-original-topic',
  originalPartition: 'finmesh-dlt-original-partition',
  originalOffset: 'finmesh-dlt-original-offset',
  /** Original record timestamp (ms since epoch, as Kafka gave it). */
  originalTimestamp: 'finmesh-dlt-original-timestamp',
  consumerGroup: 'finmesh-dlt-consumer-group',
  /** ISO-8601 time of the first failed attempt. */
  firstFailureAt: 'finmesh-dlt-first-failure-at',
  /** ISO-8601 time the record was dead-lettered. */
  deadLetteredAt: 'finmesh-dlt-dead-lettered-at',
  attempts: 'finmesh-dlt-attempts',
  /** Set on records a replay re-published: the DLT topic/partition/offset they came from. */
  replayedFrom: 'finmesh-replayed-from',
} as const;

export type DeadLetterErrorClass = 'PERMANENT' | 'TRANSIENT_EXHAUSTED';

/** Default dead-letter topic of a source topic (overridable per consumer). */
export function defaultDeadLetterTopic(sourceTopic: string): string {
  return `${sourceTopic}.dlt`;
}
