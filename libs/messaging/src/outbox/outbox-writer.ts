import { type EventCodec, type EventName, topicForEvent } from '@finmesh/contracts';
import { EVENT_HEADERS } from '../producing/event-headers';
import { quoteIdentifier, type SqlExecutor } from '@finmesh/persistence';
import { currentTraceparent } from '../tracing/trace-headers';

export interface OutboxEvent {
  readonly event: EventName;
  /** Business id of the aggregate: the Kafka key, so one aggregate's events stay ordered. */
  readonly key: string;
  /** The full event record (envelope first), as the contract in `schemas/` defines it. */
  readonly value: { readonly envelope: { readonly eventId: string; readonly correlationId: string; readonly causationId?: string | null } };
  /** Extra headers; event type, id, schema id, correlation and causation are added. */
  readonly headers?: Readonly<Record<string, string>>;
  /** W3C traceparent of the business action that caused the event; defaults to the active span's. */
  readonly traceparent?: string;
}

/**
 * Writes events into the caller's transaction. Each event is validated and encoded first, so an
 * invalid event aborts the caller's transaction (nothing half-applied) and the relay later
 * produces exactly the committed bytes.
 */
export class OutboxWriter {
  private readonly table: string;

  constructor(
    private readonly codec: EventCodec,
    schema: string,
    /** Where each event goes; the catalog topic unless overridden (tests, migrations). */
    private readonly topicOf: (event: EventName) => string = (event) => topicForEvent(event).name,
  ) {
    this.table = `${quoteIdentifier(schema)}.finmesh_outbox`;
  }

  async enqueue(tx: SqlExecutor, events: readonly OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = await Promise.all(
      events.map(async (e) => {
        const topic = this.topicOf(e.event);
        const encoded = await this.codec.encode(e.event, e.value, topic);
        const { eventId, correlationId, causationId } = e.value.envelope;
        const headers: Record<string, string> = {
          ...e.headers,
          [EVENT_HEADERS.eventType]: e.event,
          [EVENT_HEADERS.eventId]: eventId,
          [EVENT_HEADERS.schemaId]: String(encoded.schemaId),
          [EVENT_HEADERS.correlationId]: correlationId,
        };
        if (causationId) headers[EVENT_HEADERS.causationId] = causationId;
        return { eventId, event: e.event, topic, key: e.key, value: encoded.bytes, headers, traceparent: e.traceparent ?? currentTraceparent() ?? null };
      }),
    );
    // One multi-row INSERT: a handler that emits several events pays one round trip.
    const params: unknown[] = [];
    const tuples = rows.map((r) => {
      const base = params.length;
      params.push(r.eventId, r.event, r.topic, r.key, r.value, JSON.stringify(r.headers), r.traceparent);
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}::jsonb, $${base + 7})`;
    });
    await tx.query(
      `INSERT INTO ${this.table} (event_id, event_type, topic, message_key, value, headers, traceparent) VALUES ${tuples.join(', ')}`,
      params,
    );
  }
}
