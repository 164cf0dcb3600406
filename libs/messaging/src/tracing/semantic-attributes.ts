/**
 * Attribute names used on finmesh event spans.
 *
 * Stable names come from `@opentelemetry/semantic-conventions`. The messaging names are still
 * "incubating" upstream; OpenTelemetry recommends copying incubating names into the code that uses
 * them instead of importing `/incubating` (its exports may change in a minor release, and this
 * repository's `moduleResolution: node` cannot resolve that sub-path anyway).
 *
 * Notes on versions (semantic conventions 1.45):
 * - `messaging.operation.type` "publish" was renamed to "send"; we emit "send" for the producer span.
 * - `messaging.kafka.message.key` / `messaging.kafka.offset` are marked as replaced by
 *   `kafka.message.key` / `kafka.offset` in the newest drafts. We keep the `messaging.kafka.*` names,
 *   which are what today's backends and the Kafka instrumentations emit; switching is a one-line change here.
 */
export {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';

export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
export const ATTR_MESSAGING_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';

export const MESSAGING_SYSTEM_VALUE_KAFKA = 'kafka';
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
export const MESSAGING_OPERATION_TYPE_VALUE_RECEIVE = 'receive';

/** finmesh-specific: the event type (e.g. `InvoiceReceived`); semantic conventions have no message-type attribute. */
export const ATTR_FINMESH_EVENT_TYPE = 'finmesh.event.type';

/** finmesh-specific: the envelope's correlationId, so a trace backend can find every span of one business flow. */
export const ATTR_FINMESH_CORRELATION_ID = 'finmesh.correlation.id';
