import { newEnvelope, type EventEnvelope, type EventName, type LegalEntityRef } from '@finmesh/contracts';
import { type OutboxEvent } from '@finmesh/messaging';

/** Writes follow-up events in the caller's transaction (ctx.emit in handlers, the outbox in HTTP). */
export type Emit = (events: readonly OutboxEvent[]) => Promise<void>;

/** The flow an invoice's events belong to: its legal entity and correlation id. */
export interface InvoiceFlow {
  readonly legalEntity: LegalEntityRef;
  readonly correlationId: string;
}

/**
 * Envelope of an event invoice-sync raises about an invoice. The correlation is the invoice's own
 * flow (not the one of the receipt or supplier event that triggered a re-validation), so one
 * invoice can be traced from capture to payment; the causation names the trigger.
 */
export function invoiceEnvelope(event: EventName, flow: InvoiceFlow, causationId: string | null): EventEnvelope {
  return newEnvelope(event, { sourcePlatform: 'FINMESH', legalEntity: flow.legalEntity, correlationId: flow.correlationId, causationId });
}
