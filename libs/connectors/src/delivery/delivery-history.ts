import { quoteIdentifier, resultRows, type SqlExecutor } from '@finmesh/persistence';
import type { DeliveryStatus } from './delivery-ledger';

/** One delivery as ops read it: what went where, when, and how the platform answered. */
export interface DeliveryTiming {
  readonly sink: string;
  readonly eventId: string;
  readonly businessKey: string | null;
  readonly naturalKey: string | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly answerStatus: number | null;
  readonly answer: string | null;
  readonly failureCode: string | null;
  readonly firstAttemptAt: Date;
  readonly deliveredAt: Date | null;
  /** The canonical event's envelope time, where the sink recorded it. */
  readonly eventOccurredAt: Date | null;
  /**
   * When this service committed the event to its outbox, if it published it: the moment it
   * detected the change (a push applied, the poll that saw it), in the same transaction.
   */
  readonly committedAt: Date | null;
}

export interface DeliveryHistoryQuery {
  readonly sink?: string;
  /** Deliveries first attempted at or after this time. */
  readonly since?: Date;
  readonly limit: number;
}

interface Row {
  sink: string;
  event_id: string;
  business_key: string | null;
  natural_key: string | null;
  status: DeliveryStatus;
  attempts: number;
  answer_status: number | null;
  answer: string | null;
  failure_code: string | null;
  first_attempt_at: Date;
  delivered_at: Date | null;
  event_occurred_at: Date | null;
  committed_at: Date | null;
}

/**
 * The read side of the delivery ledger for ops and measurements (propagation latency = delivered
 * minus committed): newest first, joined with the service's own outbox for the commit time.
 */
export async function deliveryHistory(db: SqlExecutor, schema: string, query: DeliveryHistoryQuery): Promise<DeliveryTiming[]> {
  const s = quoteIdentifier(schema);
  const rows = resultRows<Row>(
    await db.query(
      `SELECT l.sink, l.event_id, l.business_key, l.natural_key, l.status, l.attempts, l.answer_status, l.answer, l.failure_code,
              l.first_attempt_at, l.delivered_at, l.event_occurred_at, o.created_at AS committed_at
         FROM ${s}.finmesh_delivery_ledger l
         LEFT JOIN ${s}.finmesh_outbox o
           -- uuid = uuid, so the outbox's unique index answers it; a non-uuid id matches nothing.
           ON o.event_id = CASE WHEN l.event_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN l.event_id::uuid END
        WHERE ($1::text IS NULL OR l.sink = $1) AND ($2::timestamptz IS NULL OR l.first_attempt_at >= $2)
        ORDER BY l.first_attempt_at DESC
        LIMIT $3`,
      [query.sink ?? null, query.since ?? null, query.limit],
    ),
  );
  return rows.map((r) => ({
    sink: r.sink,
    eventId: r.event_id,
    businessKey: r.business_key,
    naturalKey: r.natural_key,
    status: r.status,
    attempts: r.attempts,
    answerStatus: r.answer_status,
    answer: r.answer,
    failureCode: r.failure_code,
    firstAttemptAt: r.first_attempt_at,
    deliveredAt: r.delivered_at,
    eventOccurredAt: r.event_occurred_at,
    committedAt: r.committed_at,
  }));
}
