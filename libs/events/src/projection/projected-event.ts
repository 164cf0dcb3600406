import type { KafkaMessage } from 'kafkajs';
import type { DecodedEvent, EventCodec } from '../codec/event-codec';
import type { EventEnvelope } from '../generated/events';
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
  const envelope = decoded.value.envelope;
  return {
    event: decoded.event,
    value: decoded.value,
    eventId: envelope.eventId,
    occurredAt: envelope.occurredAt.toISOString(),
    topic,
    partition,
    offset,
  };
}
