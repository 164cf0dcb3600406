import { Pool, type PoolClient } from 'pg';
import { classifyFailure, partitionHoldMs } from '@finmesh/messaging';
import { pgTransactionRunner } from '@finmesh/persistence';
import { testEnvironment, uniqueName } from '@finmesh/testing';
import { PlatformAuthError, PlatformRateLimitedError, PlatformRequestError, PlatformUnavailableError } from '../http/platform-errors';
import { PlatformHttpClient } from '../http/platform-http-client';
import { type BreakerState, CircuitBreaker } from './circuit-breaker';
import { DeliveryLedger, deliveryKey } from './delivery-ledger';
import type { DeliveryObservation } from './delivery-observer';
import { ensureDeliveryTables } from './delivery-tables';
import { FakePlatform, testAuthorizer } from './fake-platform';
import { CircuitOpenError, PlatformSink } from './platform-sink';
import { TokenBucket } from './token-bucket';
import { VirtualClock } from './virtual-clock';

/**
 * The sink against the real PostgreSQL and a real HTTP server standing in for a platform's
 * supplier-status resource. The server does not de-duplicate by idempotency key (as Coupa
 * documents none), so a single effect is the sink's doing: the ledger and the natural key.
 */
const env = testEnvironment();
let pool: Pool;
let schema: string;

interface StatusEvent {
  readonly supplierNumber: string;
  readonly status: 'active' | 'inactive';
}

let platform: FakePlatform;
let baseUrl: string;

beforeAll(async () => {
  pool = new Pool({ connectionString: env.databaseUrl, max: 6 });
});

afterAll(async () => {
  await pool.end();
});

beforeEach(async () => {
  schema = uniqueName('sink').replace(/-/g, '_');
  await ensureDeliveryTables(pool, schema);
  platform = new FakePlatform();
  baseUrl = await platform.start();
});

afterEach(async () => {
  await platform.stop();
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
});

function setUp(options: { failureThreshold?: number; crashAfterDelivery?: () => boolean } = {}) {
  const clock = new VirtualClock(Date.parse('2026-12-02T07:00:00Z'));
  const breakerStates: BreakerState[] = [];
  const observations: DeliveryObservation[] = [];
  const waits: number[] = [];
  const client = new PlatformHttpClient({ platform: 'coupa', baseUrl, authorizer: testAuthorizer, timeoutMs: 2_000 });
  const bucket = new TokenBucket({ platform: 'coupa', capacity: 5, refillPerSecond: 10, clock });
  const breaker = new CircuitBreaker({ platform: 'coupa', failureThreshold: options.failureThreshold ?? 3, coolDownMs: 5_000, clock, onStateChange: (c) => breakerStates.push(c.to) });
  const ledger = new DeliveryLedger(schema);
  const sink = new PlatformSink<StatusEvent>({
    platform: 'coupa',
    flow: 'supplier-status',
    client,
    bucket,
    breaker,
    ledger,
    journal: pool,
    naturalKey: (e) => e.supplierNumber,
    observer: { delivery: (o) => observations.push(o), rateLimiterWait: (o) => waits.push(o.seconds) },
    deliver: async (event, ctx) => {
      if (ctx.previous) {
        // An earlier attempt may have landed: the platform's view of the natural key decides.
        const current = await ctx.client.request({ method: 'GET', path: `/suppliers/${event.supplierNumber}`, operation: 'suppliers.get' });
        if ((current.body as { status: string }).status === event.status) return { status: current.status, summary: 'already set' };
      }
      const answer = await ctx.client.request({
        method: 'PUT',
        path: `/suppliers/${event.supplierNumber}`,
        body: { status: event.status },
        headers: { 'idempotency-key': ctx.deliveryKey },
        operation: 'suppliers.update',
      });
      return { status: answer.status, summary: JSON.stringify(answer.body) };
    },
  });
  /** One consumer-handler run: the handler's transaction, rolled back when the delivery throws. */
  const handle = (eventId: string, event: StatusEvent) =>
    pgTransactionRunner(pool)(async (tx) => {
      const outcome = await sink.handle(eventId, event.supplierNumber, event, tx);
      if (options.crashAfterDelivery?.()) throw new Error('crashed between the 2xx and the commit');
      return outcome;
    });
  const row = (eventId: string) => ledger.find(pool, sink.sink, deliveryKey(eventId, sink.sink, 'supplier-status'));
  return { clock, sink, breaker, handle, row, breakerStates, observations, waits };
}

const blocked: StatusEvent = { supplierNumber: 'SUP-1', status: 'inactive' };

describe('PlatformSink against an HTTP platform and PostgreSQL', () => {
  it('500 then 200: retried by the runtime, delivered once, each attempt in the ledger, redelivery makes no call', async () => {
    const { handle, row, observations } = setUp();
    platform.faults.push({ status: 500, body: 'internal error' });

    const failure = await handle('e-1', blocked).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(PlatformUnavailableError);
    expect(classifyFailure(failure).kind).toBe('transient');
    // Below the breaker's threshold a failure is the record's, and spends its retry budget.
    expect(partitionHoldMs(failure)).toBeUndefined();
    expect(await row('e-1')).toMatchObject({ status: 'pending', attempts: 1, answerStatus: 500, failureCode: 'PLATFORM_UNAVAILABLE' });

    expect(await handle('e-1', blocked)).toBe('delivered');
    const delivered = await row('e-1');
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2, answerStatus: 200, naturalKey: 'SUP-1', businessKey: 'SUP-1' });
    expect(JSON.parse(delivered!.answer!)).toMatchObject({ id: 4711 });

    const callsBefore = platform.calls;
    expect(await handle('e-1', blocked)).toBe('already_delivered');
    expect(platform.calls).toBe(callsBefore);
    // The earlier pending row makes the retry look first: a GET, then the one PUT.
    expect(platform.changes).toEqual([{ supplier: 'SUP-1', status: 'inactive', idempotencyKey: delivered!.deliveryKey }]);
    expect(observations.map((o) => o.outcome)).toEqual(['transient_failure', 'delivered', 'already_delivered']);
  });

  it('429 with Retry-After: retriable, and the rate limiter holds the next call for that long', async () => {
    const { handle, row, waits } = setUp();
    platform.faults.push({ status: 429, headers: { 'retry-after': '2' } });

    const failure = await handle('e-2', blocked).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(PlatformRateLimitedError);
    expect(classifyFailure(failure)).toMatchObject({ kind: 'transient', code: 'PLATFORM_RATE_LIMITED' });
    expect(await row('e-2')).toMatchObject({ status: 'pending', answerStatus: 429 });

    expect(await handle('e-2', blocked)).toBe('delivered');
    // Blocked for Retry-After (2 s), then one token at 10/s from an empty bucket.
    expect(waits).toEqual([0, 2.1]);
    expect(platform.changes).toHaveLength(1);
  });

  it('401: permanent (dead-lettered as PLATFORM_AUTH), recorded failed, breaker untouched', async () => {
    const { handle, row, breaker } = setUp({ failureThreshold: 1 });
    // The client retries a 401 once with a fresh token; both are refused.
    platform.faults.push({ status: 401 }, { status: 401 });

    const failure = await handle('e-3', blocked).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(PlatformAuthError);
    expect(classifyFailure(failure)).toMatchObject({ kind: 'permanent', code: 'PLATFORM_AUTH' });
    expect(await row('e-3')).toMatchObject({ status: 'failed', answerStatus: 401, failureCode: 'PLATFORM_AUTH' });
    expect(breaker.state).toBe('closed');
    expect(platform.changes).toHaveLength(0);
  });

  it("a 4xx refusal is permanent and keeps the platform's reason", async () => {
    const { handle, row } = setUp();
    platform.faults.push({ status: 422, body: JSON.stringify({ errors: { status: ['is not a valid status'] } }) });

    const failure = await handle('e-4', blocked).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(PlatformRequestError);
    expect(classifyFailure(failure)).toMatchObject({ kind: 'permanent', code: 'PLATFORM_REQUEST_REFUSED' });
    expect(await row('e-4')).toMatchObject({ status: 'failed', answerStatus: 422, answer: '{"status":["is not a valid status"]}' });
  });

  it('the breaker opens after repeated 5xx, refuses without calling, and a half-open probe closes it', async () => {
    const { handle, row, clock, breakerStates, observations } = setUp({ failureThreshold: 2 });
    platform.faults.push({ status: 503 }, { status: 502 });

    await expect(handle('e-5', blocked)).rejects.toBeInstanceOf(PlatformUnavailableError);
    // The failure that opens the breaker already asks the runtime to hold the partition.
    const opening = await handle('e-5', blocked).catch((err: unknown) => err);
    expect(opening).toBeInstanceOf(CircuitOpenError);
    expect(opening).toMatchObject({ holdPartitionMs: 5_000, cause: expect.any(PlatformUnavailableError) });
    expect(partitionHoldMs(opening)).toBe(5_000);
    expect(await row('e-5')).toMatchObject({ answerStatus: 502 });
    const calls = platform.calls;
    const refused = await handle('e-5', blocked).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(classifyFailure(refused)).toMatchObject({ kind: 'transient', code: 'PLATFORM_CIRCUIT_OPEN' });
    expect(partitionHoldMs(refused)).toBe(5_000);
    expect(platform.calls).toBe(calls);
    // A refusal without a call is not an attempt.
    expect(await row('e-5')).toMatchObject({ status: 'pending', attempts: 2 });

    clock.advance(5_000);
    expect(await handle('e-5', blocked)).toBe('delivered');
    expect(breakerStates).toEqual(['open', 'half_open', 'closed']);
    expect(observations.map((o) => o.outcome)).toEqual(['transient_failure', 'transient_failure', 'circuit_open', 'delivered']);
    expect(platform.changes).toHaveLength(1);
  });

  it('a crash between the 2xx and the commit: the retry finds the effect by natural key and makes no second one', async () => {
    let crash = true;
    const { handle, row } = setUp({ crashAfterDelivery: () => crash && !(crash = false) });

    await expect(handle('e-6', blocked)).rejects.toThrow('crashed between the 2xx and the commit');
    expect(platform.changes).toHaveLength(1);
    expect(await row('e-6')).toMatchObject({ status: 'pending', attempts: 1 });

    expect(await handle('e-6', blocked)).toBe('delivered');
    expect(await row('e-6')).toMatchObject({ status: 'delivered', attempts: 2, answer: 'already set' });
    expect(platform.changes).toHaveLength(1);
  });

  it('a refusal the flow answers itself: delivered with its code, the result handed back, no dead letter, no second call', async () => {
    const clock = new VirtualClock(Date.parse('2026-12-02T07:00:00Z'));
    const ledger = new DeliveryLedger(schema);
    const sink = new PlatformSink<StatusEvent, PoolClient, { refused: string } | { set: number }>({
      platform: 'coupa',
      flow: 'supplier-status',
      client: new PlatformHttpClient({ platform: 'coupa', baseUrl, authorizer: testAuthorizer, timeoutMs: 2_000 }),
      bucket: new TokenBucket({ platform: 'coupa', capacity: 5, refillPerSecond: 10, clock }),
      breaker: new CircuitBreaker({ platform: 'coupa', failureThreshold: 3, coolDownMs: 5_000, clock }),
      ledger,
      journal: pool,
      deliver: async (event, ctx) => {
        try {
          const answer = await ctx.client.request({ method: 'PUT', path: `/suppliers/${event.supplierNumber}`, body: { status: event.status }, operation: 'suppliers.update' });
          return { status: answer.status, code: 'SET', result: { set: answer.status } };
        } catch (err) {
          if (!(err instanceof PlatformRequestError)) throw err;
          return { status: 422, code: 'REFUSED', summary: err.detail, result: { refused: err.detail } };
        }
      },
    });
    platform.faults.push({ status: 422, body: '{"errors":{"status":["is locked"]}}' });
    const run = () => pgTransactionRunner(pool)((tx) => sink.handleWithResult('e-7', blocked.supplierNumber, blocked, tx));

    expect(await run()).toEqual({ outcome: 'delivered', answer: { status: 422, code: 'REFUSED', summary: '{"status":["is locked"]}' }, result: { refused: '{"status":["is locked"]}' } });
    expect(await ledger.find(pool, sink.sink, deliveryKey('e-7', sink.sink, 'supplier-status'))).toMatchObject({ status: 'delivered', answerStatus: 422, answerCode: 'REFUSED' });
    // A redelivery is answered by the ledger: no call, no result to apply again.
    expect(await run()).toEqual({ outcome: 'already_delivered' });
    expect(platform.changes).toHaveLength(0);
  });
});
