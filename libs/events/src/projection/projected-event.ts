import type { KafkaMessage } from 'kafkajs';
import type { EventCodec } from '../codec/event-codec';
import type { EventEnvelope } from '../generated/events';
import type { ProjectedEvent } from './read-model-projection';

/** Decodes one Kafka record into the shape projections take. */
export async function projectedEventOf(codec: EventCodec, topic: string, partition: number, message: KafkaMessage): Promise<ProjectedEvent> {
  const decoded = await codec.decode<{ envelope: EventEnvelope }>(message.value);
  const envelope = decoded.value.envelope;
  return {
    event: decoded.event,
    value: decoded.value,
    eventId: envelope.eventId,
    occurredAt: envelope.occurredAt.toISOString(),
    topic,
    partition,
    offset: message.offset,
  };
}
