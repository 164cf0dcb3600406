import type { KafkaMessage } from 'kafkajs';
import {
  type DecodedEvent,
  type EventCodec,
  type EventEnvelope,
  type EventName,
  eventVersion,
  isoTimestamp,
} from '@finmesh/contracts';
import type { ProjectedEvent } from './read-model-projection';

/** The envelope fields {@link projectedEventOf} reads, which a narrowed decode must keep. */
export const PROJECTED_EVENT_FIELDS = ['envelope.eventId', 'envelope.occurredAt'] as const;

/**
 * Decodes one Kafka record into the shape projections take: synchronously once the record's
 * schema is known to the codec (every record of a rebuild but the first few), else via a promise.
 */
export function projectedEventOf(codec: EventCodec, topic: string, partition: number, message: KafkaMessage): ProjectedEvent | Promise<ProjectedEvent> {
  const ready = codec.decodeIfReady<{ envelope: EventEnvelope }>(message.value);
  if (ready) return toProjected(ready, topic, partition, message.offset);
  return codec.decode<{ envelope: EventEnvelope }>(message.value).then((decoded) => toProjected(decoded, topic, partition, message.offset));
}

function toProjected(decoded: DecodedEvent<{ envelope: EventEnvelope }>, topic: string, partition: number, offset: string): ProjectedEvent {
  return projectedEvent(decoded.event, decoded.value, decoded.value.envelope, { topic, partition, offset });
}

/** A decoded event (its envelope and where it was read) in the shape projections take. */
export function projectedEvent<V>(
  event: EventName,
  value: V,
  envelope: Pick<EventEnvelope, 'eventId' | 'occurredAt'>,
  at: { readonly topic: string; readonly partition: number; readonly offset: string },
): ProjectedEvent<V> {
  const occurredAt = isoTimestamp(envelope.occurredAt);
  return { event, value, eventId: envelope.eventId, occurredAt, topic: at.topic, partition: at.partition, offset: at.offset, version: eventVersion(occurredAt, envelope.eventId) };
}
