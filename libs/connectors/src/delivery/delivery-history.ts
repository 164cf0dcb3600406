import { quoteIdentifier, resultRows, type SqlExecutor } from '@finmesh/persistence';
import { deliveryRecordOf, type DeliveryLedgerRow, type DeliveryRecord } from './delivery-ledger';

/** One delivery as ops read it: the ledger's record, plus when the event was committed. */
export interface DeliveryTiming extends DeliveryRecord {
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

/**
 * The read side of the delivery ledger for ops and measurements (propagation latency = delivered
 * minus committed): newest first, joined with the service's own outbox for the commit time.
 */
export async function deliveryHistory(db: SqlExecutor, schema: string, query: DeliveryHistoryQuery): Promise<DeliveryTiming[]> {
  const s = quoteIdentifier(schema);
  const rows = resultRows<DeliveryLedgerRow & { committed_at: Date | null }>(
    await db.query(
      `SELECT l.*, o.created_at AS committed_at
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
  return rows.map((r) => ({ ...deliveryRecordOf(r), committedAt: r.committed_at }));
}
