import type { IHeaders, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { countBy, notifyObserver, UNKNOWN_EVENT_TYPE, type MessagingObserver } from '../observability/messaging-observer';
import { EVENT_HEADERS } from '../producing/event-headers';
import { quoteIdentifier, SessionLeadership } from '@finmesh/persistence';
import { startPublishSpan, type PublishSpanHandle } from '../tracing/event-spans';
import { outboxChannel } from './outbox-table';

export interface OutboxRelayOptions {
  /** Pool for claiming and marking rows. */
  readonly pool: Pool;
  /** Connection string for the relay's own session: LISTEN and the leadership lock live on it. */
  readonly connectionString: string;
  readonly schema: string;
  /** An idempotent producer (acks=all): a re-sent batch after a crash cannot reorder or duplicate on the broker side. */
  readonly producer: Producer;
  readonly logger: Logger;
  /** Rows claimed and produced per round trip under load (default 1000). */
  readonly batchSize?: number;
  /** Safety-net poll when no NOTIFY arrives (default 1000 ms); NOTIFY is the normal wake-up. */
  readonly idlePollMs?: number;
  /** How often a standby instance retries to become the leader (default 2000 ms). */
  readonly leadershipRetryMs?: number;
  /**
   * Called after the broker acknowledged a batch and before the rows are marked published: the
   * window in which a crash causes a re-publish. For metrics, and for crash tests.
   */
  readonly afterProduce?: (count: number) => Promise<void> | void;
  /** Metrics hook: told about each published batch once it is marked published. */
  readonly observer?: MessagingObserver;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  value: Buffer;
  headers: Record<string, string>;
  traceparent: string | null;
}

/**
 * Publishes committed outbox rows to Kafka, in commit order, then marks them published.
 *
 * - Never loses a committed event: rows stay pending until the broker acknowledged them; a crash
 *   between produce and mark re-publishes them on restart (consumers' inboxes drop the duplicate).
 * - Low idle latency without busy polling: it waits on NOTIFY (sent at commit) with a slow
 *   safety-net poll; under load it loops without waiting and produces whole batches.
 * - One leader per schema via a session advisory lock, so two instances never interleave
 *   one key's events; the lock dies with the session, so a crashed leader is replaced.
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly leadershipRetryMs: number;
  private readonly leadership: SessionLeadership;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private pendingWake = false;
  private publishedTotal = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = `${quoteIdentifier(options.schema)}.finmesh_outbox`;
    this.batchSize = options.batchSize ?? 1000;
    this.idlePollMs = options.idlePollMs ?? 1000;
    this.leadershipRetryMs = options.leadershipRetryMs ?? 2000;
    // One active relay per schema keeps per-key order.
    this.leadership = new SessionLeadership({
      connectionString: options.connectionString,
      namespace: options.schema,
      name: 'outbox-relay',
      applicationName: 'finmesh-outbox-relay',
      onLost: (err) => {
        this.options.logger.warn({ err }, 'outbox relay session lost');
        this.signal();
      },
    });
  }

  get published(): number {
    return this.publishedTotal;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => {
      this.options.logger.error({ err }, 'outbox relay stopped on an unexpected error');
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.closeSession();
  }

  /** Publishes until nothing is pending (used by tests and graceful shutdown). */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.publishBatch(); n > 0; n = await this.publishBatch()) total += n;
    return total;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.ensureLeadership())) {
          await this.sleep(this.leadershipRetryMs);
          continue;
        }
        const published = await this.publishBatch();
        if (published === 0) await this.sleep(this.idlePollMs);
      } catch (err) {
        // Broker or database trouble: keep the rows pending, back off, try again.
        this.options.logger.warn({ err }, 'outbox relay batch failed; retrying');
        await this.closeSession();
        await this.sleep(500);
      }
    }
  }

  private async ensureLeadership(): Promise<boolean> {
    if (this.leadership.isLeader) return true;
    if (!(await this.leadership.tryAcquire())) return false;
    const session = this.leadership.leaderSession;
    session?.on('notification', () => this.signal());
    await session?.query(`LISTEN "${outboxChannel(this.options.schema)}"`);
    this.options.logger.info({ schema: this.options.schema }, 'outbox relay is the leader');
    return true;
  }

  private async closeSession(): Promise<void> {
    await this.leadership.release();
  }

  /** Claims the oldest pending rows, produces them, marks them; returns how many were published. */
  private async publishBatch(): Promise<number> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, topic, message_key, value, headers, traceparent FROM ${this.table}
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      await this.produce(rows);
      await this.options.afterProduce?.(rows.length);
      await client.query(`UPDATE ${this.table} SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      await client.query('COMMIT');
      this.publishedTotal += rows.length;
      this.observePublished(rows);
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async produce(rows: readonly OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, { key: string; value: Buffer; headers: IHeaders }[]>();
    const spans: PublishSpanHandle[] = [];
    for (const r of rows) {
      // The publish span is a child of the business action that wrote the row (its traceparent),
      // and its own traceparent travels in the record so the consumer continues the same trace.
      const span = startPublishSpan({
        topic: r.topic,
        key: r.message_key,
        eventId: r.headers['finmesh-event-id'] ?? '',
        eventType: r.headers['finmesh-event-type'] ?? '',
        parentTraceparent: r.traceparent,
      });
      spans.push(span);
      const headers: IHeaders = { ...r.headers };
      if (span.traceparent) headers['traceparent'] = span.traceparent;
      const list = byTopic.get(r.topic) ?? [];
      list.push({ key: r.message_key, value: r.value, headers });
      byTopic.set(r.topic, list);
    }
    try {
      await this.options.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      for (const s of spans) s.fail(err);
      throw err;
    }
    for (const s of spans) s.end();
  }

  private observePublished(rows: readonly OutboxRow[]): void {
    notifyObserver(this.options.observer, this.options.logger, (o) => {
      for (const topic of new Set(rows.map((r) => r.topic))) {
        const ofTopic = rows.filter((r) => r.topic === topic);
        for (const [event, count] of countBy(ofTopic, (r) => r.headers[EVENT_HEADERS.eventType] ?? UNKNOWN_EVENT_TYPE)) o.eventsProduced?.({ topic, event, count });
      }
    });
  }

  private signal(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        this.pendingWake = false;
        done();
      };
    });
  }
}
