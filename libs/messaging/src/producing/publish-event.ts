import type { IHeaders, Producer, RecordMetadata } from 'kafkajs';
import { type EventCodec, type EventName, topicForEvent } from '@finmesh/contracts';
import { EVENT_HEADERS } from './event-headers';

export interface EventToPublish {
  readonly event: EventName;
  /** The aggregate's business id: keeps one aggregate's events on one partition, in order. */
  readonly key: string;
  readonly value: unknown;
  readonly eventId: string;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  readonly headers?: IHeaders;
  /** Override for tests and replays; defaults to the catalog topic of the event. */
  readonly topic?: string;
}

/**
 * Encodes (validating first: an invalid event is refused before anything reaches Kafka) and
 * produces one event to its catalog topic. Direct publishing; services publish through the
 * transactional outbox, whose relay uses this same function.
 */
export async function publishEvent(producer: Producer, codec: EventCodec, e: EventToPublish): Promise<RecordMetadata[]> {
  const topic = e.topic ?? topicForEvent(e.event).name;
  const encoded = await codec.encode(e.event, e.value, topic);
  const headers: IHeaders = {
    ...e.headers,
    [EVENT_HEADERS.eventType]: e.event,
    [EVENT_HEADERS.eventId]: e.eventId,
    [EVENT_HEADERS.schemaId]: String(encoded.schemaId),
  };
  if (e.correlationId) headers[EVENT_HEADERS.correlationId] = e.correlationId;
  if (e.causationId) headers[EVENT_HEADERS.causationId] = e.causationId;
  return producer.send({ topic, acks: -1, messages: [{ key: e.key, value: encoded.bytes, headers }] });
}
