import { randomUUID } from 'node:crypto';
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
}

/** A fresh envelope for `event`, with the contract version this build writes. */
export function newEnvelope(event: EventName, input: EnvelopeInput): EventEnvelope {
  const eventId = randomUUID();
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
