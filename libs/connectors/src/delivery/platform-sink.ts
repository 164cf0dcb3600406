import type { SqlExecutor } from '@finmesh/persistence';
import type { PlatformHttpClient } from '../http/platform-http-client';
import { PlatformError, PlatformRateLimitedError, PlatformRequestError } from '../http/platform-errors';
import type { CircuitBreaker } from './circuit-breaker';
import { type DeliveryIdentity, type DeliveryLedger, type DeliveryRecord, deliveryKey, type PlatformAnswer } from './delivery-ledger';
import type { DeliveryObserver, DeliveryOutcome } from './delivery-observer';
import type { TokenBucket } from './token-bucket';

/**
 * What `deliver` returns: the platform's answer for the ledger, and optionally what the answer
 * means for the caller (`result`), which `handleWithResult` hands back so the caller applies it in
 * the same transaction as the delivered mark (e.g. a business refusal the flow records as an
 * outcome of its own rather than a dead letter). The result is not stored.
 */
export type DeliveryAnswer<R = unknown> = PlatformAnswer & { readonly result?: R };

/** How one event's delivery went, with the answer and result when a call was answered now. */
export interface DeliveryHandled<R = unknown> {
  readonly outcome: DeliveryOutcome;
  /** Undefined when no call was made (already delivered). */
  readonly answer?: PlatformAnswer;
  readonly result?: R;
}

/** What a sink's `deliver` function gets besides the event. */
export interface DeliveryContext<T extends SqlExecutor = SqlExecutor> {
  readonly client: PlatformHttpClient;
  /**
   * The consumer's transaction the delivery commits in: `deliver` reads the service's own state
   * through it (the platform's id of the thing), in the snapshot the delivered mark commits with.
   */
  readonly transaction: T;
  readonly eventId: string;
  /** The record's key (the business key the topic is partitioned by). */
  readonly businessKey: string | null;
  /** Send as the platform's idempotency key where it has one: the same on every attempt. */
  readonly deliveryKey: string;
  readonly naturalKey: string | null;
  /** 1 for the first attempt of this delivery. */
  readonly attempt: number;
  /**
   * The ledger row before this attempt. A pending row means an earlier attempt may have reached
   * the platform (a timeout, or a crash between its 2xx and our commit): where the platform
   * de-duplicates by no key, `deliver` looks the natural key up before creating anything again.
   */
  readonly previous: DeliveryRecord | undefined;
}

export interface PlatformSinkOptions<E, T extends SqlExecutor = SqlExecutor, R = unknown> {
  readonly platform: string;
  /** e.g. 'supplier-status': with the platform, names the sink in the ledger and the metrics. */
  readonly flow: string;
  readonly client: PlatformHttpClient;
  /** Shared by every sink of the platform, like the breaker. */
  readonly bucket: TokenBucket;
  readonly breaker: CircuitBreaker;
  readonly ledger: DeliveryLedger;
  /**
   * Where attempts and failures are written: a pool, NOT the consumer's transaction, which is
   * rolled back when the attempt fails and would take its record with it. Needs a connection
   * besides the consumer's, so the pool must be larger than the partitions consumed at once.
   */
  readonly journal: SqlExecutor;
  /**
   * Performs the call(s) for one event; throws a PlatformError when the platform says no. A flow
   * for which a refusal is an answer to apply (not a dead letter) catches it and returns it, with
   * its meaning as `result`; the delivery then counts as delivered (answered for good).
   */
  readonly deliver: (event: E, context: DeliveryContext<T>) => Promise<DeliveryAnswer<R>>;
  /** What the event is delivered to, when one flow has several targets; default: the flow. */
  readonly target?: (event: E) => string;
  /** The platform's own identity of the thing (a supplier number), where it has one. */
  readonly naturalKey?: (event: E) => string | undefined;
  /**
   * When the canonical event was committed (its envelope's occurredAt): kept in the ledger, and
   * the time from it to the platform's 2xx is the propagation latency the metrics report.
   */
  readonly occurredAt?: (event: E) => Date | undefined;
  readonly observer?: DeliveryObserver;
}

/**
 * The platform's breaker is open: refused without a call, or the failure that just opened it
 * (then `cause` is the platform's error). Retriable, and `holdPartitionMs` tells the consumer
 * runtime to pause the partition until the next probe without spending the record's retry
 * budget: the platform is down, not this event, so nothing is dead-lettered for an outage.
 */
export class CircuitOpenError extends PlatformError {
  readonly code = 'PLATFORM_CIRCUIT_OPEN';
  readonly retriable = true;
  readonly holdPartitionMs: number;

  constructor(platform: string, operation: string, readonly retryInMs: number, options?: { cause?: unknown }) {
    const why = options?.cause instanceof Error ? ` (opened by: ${options.cause.message})` : '';
    super(platform, operation, `circuit open, next probe in ${retryInMs} ms${why}`, undefined, options);
    this.holdPartitionMs = retryInMs;
  }
}

/**
 * Delivers canonical events to one platform flow, once. Called from a consumer handler with the
 * handler's transaction, so the delivered mark commits with the event's inbox row:
 *
 * 1. locks the delivery (see DeliveryLedger.lockDelivery); if the ledger has it delivered (a
 *    redelivery, a replay from the DLT): no call;
 * 2. breaker open: CircuitOpenError at once (retriable);
 * 3. waits for a token of the platform's rate limiter;
 * 4. counts the attempt in the ledger (own connection), calls `deliver`;
 * 5. 2xx: marks it delivered in the transaction. A failure is recorded and rethrown, as the
 *    platform client classified it, for the consumer runtime: PlatformAuthError and other
 *    refusals (4xx, with the platform's reason) are permanent and dead-lettered; 5xx,
 *    timeouts and 429 (which also penalises the rate limiter for Retry-After) are retried,
 *    and a transient failure that left the breaker open becomes a CircuitOpenError.
 */
export class PlatformSink<E, T extends SqlExecutor = SqlExecutor, R = unknown> {
  readonly sink: string;

  constructor(private readonly options: PlatformSinkOptions<E, T, R>) {
    const { platform, flow, client, bucket, breaker } = options;
    for (const [what, other] of [['client', client.platform], ['rate limiter', bucket.platform], ['breaker', breaker.platform]] as const) {
      if (other !== platform) throw new Error(`sink ${platform}:${flow}: the ${what} is for '${other}'`);
    }
    this.sink = `${platform}:${flow}`;
  }

  async handle(eventId: string, key: string | null, value: E, tx: T): Promise<DeliveryOutcome> {
    return (await this.handleWithResult(eventId, key, value, tx)).outcome;
  }

  /** As `handle`, also returning the platform's answer and `deliver`'s result, for the caller to apply in `tx`. */
  async handleWithResult(eventId: string, key: string | null, value: E, tx: T): Promise<DeliveryHandled<R>> {
    const o = this.options;
    const naturalKey = o.naturalKey?.(value) ?? null;
    const id: DeliveryIdentity = {
      sink: this.sink,
      deliveryKey: deliveryKey(eventId, this.sink, o.target?.(value) ?? o.flow),
      eventId,
      businessKey: key,
      naturalKey,
      eventOccurredAt: o.occurredAt?.(value) ?? null,
    };
    await o.ledger.lockDelivery(tx, id.sink, id.deliveryKey);
    const known = await o.ledger.find(tx, id.sink, id.deliveryKey);
    if (known?.status === 'delivered') return { outcome: this.report('already_delivered', 0) };

    const pass = o.breaker.tryPass();
    if (!pass.allowed) {
      this.report('circuit_open', 0);
      throw new CircuitOpenError(o.platform, o.flow, pass.retryInMs);
    }
    let started: number | undefined;
    let answered = false;
    try {
      const waitedMs = await o.bucket.take();
      o.observer?.rateLimiterWait?.({ platform: o.platform, flow: o.flow, seconds: waitedMs / 1000 });
      const { attempts, previous } = await o.ledger.recordAttempt(o.journal, id);
      if (previous?.status === 'delivered') {
        // Another instance committed it after our first read (a leadership hand-over).
        o.breaker.inconclusive();
        return { outcome: this.report('already_delivered', 0) };
      }
      started = performance.now();
      const { result, ...answer } = await o.deliver(value, { client: o.client, transaction: tx, eventId, businessKey: key, deliveryKey: id.deliveryKey, naturalKey, attempt: attempts, previous });
      const seconds = (performance.now() - started) / 1000;
      answered = true;
      o.breaker.success();
      await o.ledger.markDelivered(tx, id, answer);
      if (id.eventOccurredAt) o.observer?.propagation?.({ platform: o.platform, flow: o.flow, seconds: Math.max(0, Date.now() - id.eventOccurredAt.getTime()) / 1000 });
      return { outcome: this.report('delivered', seconds), answer, ...(result === undefined ? {} : { result }) };
    } catch (err) {
      // The platform took it but our transaction failed: the row stays pending with its
      // attempt counted, so the retry is told (`previous`) and looks before calling again.
      if (answered) throw err;
      const seconds = started === undefined ? 0 : (performance.now() - started) / 1000;
      const permanent = err instanceof PlatformError && !err.retriable;
      this.countForBreaker(err);
      if (started !== undefined) {
        await o.ledger.markFailed(o.journal, id, answerOf(err), codeOf(err), permanent);
      }
      this.report(permanent ? 'permanent_failure' : 'transient_failure', seconds);
      const openForMs = permanent ? undefined : o.breaker.openForMs;
      if (openForMs !== undefined) throw new CircuitOpenError(o.platform, o.flow, openForMs, { cause: err });
      throw err;
    }
  }

  private countForBreaker(err: unknown): void {
    const { breaker, bucket } = this.options;
    if (err instanceof PlatformRateLimitedError) {
      // Throttling is the rate limiter's to answer; the platform is there.
      bucket.penalise(err.retryAfterMs);
      breaker.inconclusive();
    } else if (err instanceof PlatformError) {
      // A refusal (4xx, credentials) is the platform answering: healthy as far as the breaker cares.
      if (err.retriable) breaker.failure();
      else breaker.success();
    } else {
      breaker.inconclusive();
    }
  }

  private report(outcome: DeliveryOutcome, seconds: number): DeliveryOutcome {
    const { observer, platform, flow, breaker } = this.options;
    observer?.delivery?.({ platform, flow, outcome, seconds });
    observer?.breakerState?.(platform, breaker.state);
    return outcome;
  }
}

function answerOf(err: unknown): PlatformAnswer {
  if (err instanceof PlatformRequestError) return { status: err.status, summary: err.detail };
  if (err instanceof PlatformError) return { ...(err.status === undefined ? {} : { status: err.status }), summary: err.message };
  return { summary: err instanceof Error ? err.message : String(err) };
}

function codeOf(err: unknown): string {
  return err instanceof PlatformError ? err.code : 'DELIVERY_ERROR';
}
