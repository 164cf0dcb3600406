import { createHash, randomUUID } from 'node:crypto';
import { LATEST_EVENT_VERSIONS, type EventEnvelope, type LegalEntityRef, type SourcePlatform } from '../generated/events';
import { recordFullName, type EventName } from '../topics/topic-catalog';

export interface EnvelopeInput {
  readonly sourcePlatform: SourcePlatform;
  readonly legalEntity: LegalEntityRef;
  /** The business flow this event belongs to; defaults to the new event's own id (a flow starts here). */
  readonly correlationId?: string;
  /** The event that caused this one (null for facts from outside finmesh). */
  readonly causationId?: string | null;
  /** When the fact happened in the source platform; defaults to now. */
  readonly occurredAt?: Date;
  /**
   * The event id, when it must be reproducible (see {@link deterministicEventId}); defaults to a
   * fresh random id.
   */
  readonly eventId?: string;
}

/** A fresh envelope for `event`, with the contract version this build writes. */
export function newEnvelope(event: EventName, input: EnvelopeInput): EventEnvelope {
  const eventId = input.eventId ?? randomUUID();
  return {
    eventId,
    eventType: recordFullName(event),
    eventVersion: LATEST_EVENT_VERSIONS[event],
    occurredAt: input.occurredAt ?? new Date(),
    sourcePlatform: input.sourcePlatform,
    correlationId: input.correlationId ?? eventId,
    causationId: input.causationId ?? null,
    legalEntity: input.legalEntity,
  };
}

/** The envelope of a follow-up event: same flow (correlation), caused by `cause`. */
export function followUpEnvelope(event: EventName, cause: EventEnvelope, sourcePlatform: SourcePlatform = 'FINMESH'): EventEnvelope {
  return newEnvelope(event, {
    sourcePlatform,
    legalEntity: cause.legalEntity,
    correlationId: cause.correlationId,
    causationId: cause.eventId,
  });
}

/** Namespace of finmesh's name-based event ids (RFC 9562 UUIDv5). */
const EVENT_ID_NAMESPACE = Buffer.from('6f1d2c3a9b8e4f7a8c5d0e1f2a3b4c5d', 'hex');

/**
 * The same id for the same fact, every time: a UUIDv5 (RFC 9562 §5.5) of the parts that identify
 * it, e.g. (platform, resource, record id, record version, event name). A poller that re-reads a
 * record (an overlapping window, a restart mid-page, a crash before marking it exported) then
 * produces a plain duplicate that every consumer's inbox drops, never a second fact.
 * Parts must be what the source record says, never the time of reading.
 */
export function deterministicEventId(...parts: readonly string[]): string {
  if (parts.length === 0 || parts.some((p) => p.length === 0)) throw new Error('deterministicEventId needs non-empty parts');
  const hash = createHash('sha1').update(EVENT_ID_NAMESPACE).update(JSON.stringify(parts)).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
