import { createHash } from 'node:crypto';
import { advisoryLockKey, quoteIdentifier, resultRows, type SqlExecutor } from '@finmesh/persistence';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** What the platform answered, kept short: the HTTP status and its ids or reason, never a payload. */
export interface PlatformAnswer {
  /** HTTP status; undefined when the platform never answered (timeout, refused connection). */
  readonly status?: number;
  /** The platform's id(s) or reason, bounded (see {@link shortAnswer}). */
  readonly summary?: string;
  /**
   * What the answer meant, in the flow's own short terms (e.g. POSTED, FOUND_EXISTING,
   * BUSINESS_REJECTED), for flows whose delivered answers differ in meaning; kept as `answer_code`.
   */
  readonly code?: string;
}

export interface DeliveryRecord {
  readonly sink: string;
  readonly deliveryKey: string;
  readonly eventId: string;
  readonly businessKey: string | null;
  readonly naturalKey: string | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly answerStatus: number | null;
  readonly answer: string | null;
  /** The flow's code for a delivered answer (PlatformAnswer.code); null when it gave none. */
  readonly answerCode: string | null;
  readonly failureCode: string | null;
  readonly firstAttemptAt: Date;
  readonly lastAttemptAt: Date;
  readonly deliveredAt: Date | null;
  /** When the canonical event was committed, where the sink knows it. */
  readonly eventOccurredAt: Date | null;
}

export interface DeliveryIdentity {
  readonly sink: string;
  readonly deliveryKey: string;
  readonly eventId: string;
  readonly businessKey: string | null;
  readonly naturalKey: string | null;
  readonly eventOccurredAt?: Date | null;
}

const MAX_ANSWER = 500;

/**
 * The idempotency key of one delivery: the same event to the same target gives the same key on
 * every attempt, redelivery and replay (sent as the platform's Idempotency-Key where it has one,
 * and the ledger's key everywhere). UUID-shaped, as most platforms' idempotency headers expect.
 */
export function deliveryKey(eventId: string, sink: string, target: string): string {
  if (eventId.length === 0 || sink.length === 0 || target.length === 0) throw new Error('deliveryKey needs an event id, a sink and a target');
  const hex = createHash('sha256').update(JSON.stringify(['finmesh-delivery', eventId, sink, target])).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Bounded, single-line: a platform's HTML error page must not fill the ledger. */
export function shortAnswer(text: string | undefined): string | null {
  if (text === undefined) return null;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_ANSWER ? `${line.slice(0, MAX_ANSWER)}…` : line;
}

/** A ledger row as PostgreSQL returns it (`SELECT *`). */
export interface DeliveryLedgerRow {
  sink: string;
  delivery_key: string;
  event_id: string;
  business_key: string | null;
  natural_key: string | null;
  status: DeliveryStatus;
  attempts: number;
  answer_status: number | null;
  answer: string | null;
  answer_code: string | null;
  failure_code: string | null;
  first_attempt_at: Date;
  last_attempt_at: Date;
  delivered_at: Date | null;
  event_occurred_at: Date | null;
}

/**
 * Reads and writes the delivery ledger of one schema (see delivery-tables.ts). Every method runs
 * on the executor it is given: the consumer's transaction for `find` and `markDelivered` (so a
 * delivery commits with its inbox row), a pool for `recordAttempt` and `markFailed`-on-retry (so
 * an attempt stays recorded when the consumer's transaction rolls back to retry).
 */
export class DeliveryLedger {
  private readonly table: string;

  constructor(readonly schema: string) {
    this.table = `${quoteIdentifier(schema)}.finmesh_delivery_ledger`;
  }

  /**
   * Serialises one delivery across instances, in the caller's transaction: a sink whose
   * leadership just passed on may still be delivering; its successor waits here for that
   * transaction to end and then finds the delivery marked, instead of making the call again.
   */
  async lockDelivery(tx: SqlExecutor, sink: string, key: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey(this.schema, `delivery:${sink}:${key}`)]);
  }

  async find(db: SqlExecutor, sink: string, key: string): Promise<DeliveryRecord | undefined> {
    const rows = resultRows<DeliveryLedgerRow>(await db.query(`SELECT * FROM ${this.table} WHERE sink = $1 AND delivery_key = $2`, [sink, key]));
    return rows[0] && deliveryRecordOf(rows[0]);
  }

  /** The deliveries under one natural key (the platform's own identity of the thing), oldest first. */
  async byNaturalKey(db: SqlExecutor, sink: string, naturalKey: string): Promise<DeliveryRecord[]> {
    const rows = resultRows<DeliveryLedgerRow>(
      await db.query(`SELECT * FROM ${this.table} WHERE sink = $1 AND natural_key = $2 ORDER BY first_attempt_at, delivery_key`, [sink, naturalKey]),
    );
    return rows.map(deliveryRecordOf);
  }

  /**
   * An attempt is about to go out: counts it and returns the row as it was before (undefined on
   * the first attempt). A failed row becomes pending again (a replay after the cause was fixed);
   * a delivered row is left as it is.
   */
  async recordAttempt(db: SqlExecutor, id: DeliveryIdentity): Promise<{ attempts: number; previous: DeliveryRecord | undefined }> {
    const previous = await this.find(db, id.sink, id.deliveryKey);
    const rows = resultRows<{ attempts: number }>(
      await db.query(
        `INSERT INTO ${this.table} (sink, delivery_key, event_id, business_key, natural_key, status, attempts, event_occurred_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', 1, $6)
         ON CONFLICT (sink, delivery_key) DO UPDATE
           SET attempts = ${this.table}.attempts + 1, last_attempt_at = clock_timestamp(), status = 'pending',
               natural_key = COALESCE(EXCLUDED.natural_key, ${this.table}.natural_key)
         WHERE ${this.table}.status <> 'delivered'
         RETURNING attempts`,
        [id.sink, id.deliveryKey, id.eventId, id.businessKey, id.naturalKey, id.eventOccurredAt ?? null],
      ),
    );
    return { attempts: rows[0]?.attempts ?? previous?.attempts ?? 0, previous };
  }

  /** The platform took it. Upserts, so it also works where no attempt row was written first. */
  async markDelivered(db: SqlExecutor, id: DeliveryIdentity, answer: PlatformAnswer): Promise<void> {
    await db.query(
      `INSERT INTO ${this.table} (sink, delivery_key, event_id, business_key, natural_key, status, attempts, answer_status, answer, answer_code, delivered_at, event_occurred_at)
       VALUES ($1, $2, $3, $4, $5, 'delivered', 1, $6, $7, $9, clock_timestamp(), $8)
       ON CONFLICT (sink, delivery_key) DO UPDATE
         SET status = 'delivered', answer_status = EXCLUDED.answer_status, answer = EXCLUDED.answer, answer_code = EXCLUDED.answer_code, failure_code = NULL,
             natural_key = COALESCE(EXCLUDED.natural_key, ${this.table}.natural_key),
             delivered_at = EXCLUDED.delivered_at, last_attempt_at = clock_timestamp()`,
      [id.sink, id.deliveryKey, id.eventId, id.businessKey, id.naturalKey, answer.status ?? null, shortAnswer(answer.summary), id.eventOccurredAt ?? null, answer.code ?? null],
    );
  }

  /**
   * An attempt failed. `final` marks the delivery failed (the platform refused it for good);
   * otherwise it stays pending, with the answer kept for ops. Never downgrades a delivered row.
   */
  async markFailed(db: SqlExecutor, id: DeliveryIdentity, answer: PlatformAnswer, failureCode: string, final: boolean): Promise<void> {
    await db.query(
      `INSERT INTO ${this.table} (sink, delivery_key, event_id, business_key, natural_key, status, attempts, answer_status, answer, failure_code)
       VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9)
       ON CONFLICT (sink, delivery_key) DO UPDATE
         SET status = EXCLUDED.status, answer_status = EXCLUDED.answer_status, answer = EXCLUDED.answer,
             failure_code = EXCLUDED.failure_code, last_attempt_at = clock_timestamp()
       WHERE ${this.table}.status <> 'delivered'`,
      [id.sink, id.deliveryKey, id.eventId, id.businessKey, id.naturalKey, final ? 'failed' : 'pending', answer.status ?? null, shortAnswer(answer.summary), failureCode],
    );
  }

  /** Deliveries not (yet) delivered, newest first, for ops. */
  async open(db: SqlExecutor, sink: string, limit = 100): Promise<DeliveryRecord[]> {
    const rows = resultRows<DeliveryLedgerRow>(
      await db.query(`SELECT * FROM ${this.table} WHERE sink = $1 AND status <> 'delivered' ORDER BY last_attempt_at DESC LIMIT $2`, [sink, limit]),
    );
    return rows.map(deliveryRecordOf);
  }
}

/** A ledger row as the record callers read. */
export function deliveryRecordOf(r: DeliveryLedgerRow): DeliveryRecord {
  return {
    sink: r.sink,
    deliveryKey: r.delivery_key,
    eventId: r.event_id,
    businessKey: r.business_key,
    naturalKey: r.natural_key,
    status: r.status,
    attempts: r.attempts,
    answerStatus: r.answer_status,
    answer: r.answer,
    answerCode: r.answer_code ?? null,
    failureCode: r.failure_code,
    firstAttemptAt: r.first_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    deliveredAt: r.delivered_at,
    eventOccurredAt: r.event_occurred_at,
  };
}
