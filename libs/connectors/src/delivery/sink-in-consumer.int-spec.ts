import pino from 'pino';
import { publishEvent, ReliableConsumer } from '@finmesh/messaging';
import { eventually, invoiceReceived, openMessagingTestBed, type MessagingTestBed, uniqueName } from '@finmesh/testing';
import { PlatformHttpClient } from '../http/platform-http-client';
import { type BreakerState, CircuitBreaker } from './circuit-breaker';
import { DeliveryLedger } from './delivery-ledger';
import { ensureDeliveryTables } from './delivery-tables';
import { FakePlatform, testAuthorizer } from './fake-platform';
import { PlatformSink } from './platform-sink';
import { TokenBucket } from './token-bucket';

/**
 * The sink inside the real consumer runtime (Kafka, registry, PostgreSQL): a platform outage
 * far longer than the consumer's retry budget. The breaker opens, the partitions hold (the
 * runtime's `holdPartitionMs` hook), nothing is dead-lettered, and once the platform is back
 * every event reaches it once, in order per key.
 */
const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

let bed: MessagingTestBed;
let platform: FakePlatform;
let consumer: ReliableConsumer | undefined;

beforeEach(async () => {
  bed = await openMessagingTestBed({ partitions: 3 });
  await ensureDeliveryTables(bed.pool, bed.schema);
  platform = new FakePlatform();
});

afterEach(async () => {
  await consumer?.stop();
  consumer = undefined;
  await platform.stop();
  await bed.teardown();
});

it('holds the partitions through an outage longer than the retry budget and then delivers everything once, in order', async () => {
  const baseUrl = await platform.start();
  const keys = ['SUP-A', 'SUP-B', 'SUP-C', 'SUP-D'];
  const perKey = 5;
  /** The sequence number of each event within its key: what the platform must see in order. */
  const sequence = new Map<string, number>();
  for (let n = 0; n < perKey; n++) {
    for (const key of keys) {
      const value = invoiceReceived(key);
      sequence.set(value.envelope.eventId, n);
      await publishEvent(bed.producer, bed.codec, { event: 'InvoiceReceived', key, value, eventId: value.envelope.eventId, topic: bed.topic });
    }
  }

  const breakerStates: BreakerState[] = [];
  const ledger = new DeliveryLedger(bed.schema);
  const sink = new PlatformSink<{ eventId: string; supplier: string }>({
    platform: 'coupa',
    flow: 'supplier-status',
    client: new PlatformHttpClient({ platform: 'coupa', baseUrl, authorizer: testAuthorizer, timeoutMs: 2_000 }),
    bucket: new TokenBucket({ platform: 'coupa', capacity: 20, refillPerSecond: 200 }),
    breaker: new CircuitBreaker({ platform: 'coupa', failureThreshold: 3, coolDownMs: 300, onStateChange: (c) => breakerStates.push(c.to) }),
    ledger,
    journal: bed.pool,
    naturalKey: (e) => e.supplier,
    deliver: async (event, ctx) => {
      const answer = await ctx.client.request({
        method: 'PUT',
        path: `/suppliers/${event.supplier}`,
        body: { status: String(sequence.get(event.eventId)) },
        operation: 'suppliers.update',
      });
      return { status: answer.status };
    },
  });

  const outageMs = 3_000;
  platform.unavailableUntil = Date.now() + outageMs;
  consumer = new ReliableConsumer({
    kafka: bed.kafka,
    groupId: uniqueName('sink-group'),
    topics: [bed.topic],
    dataSource: bed.ds,
    schema: bed.schema,
    codec: bed.codec,
    logger,
    // Without the hold this budget (3 attempts, ≤ 300 ms apart) would dead-letter within a second.
    retry: { initialBackoffMs: 50, maxBackoffMs: 300, maxAttempts: 3 },
    handlers: {
      InvoiceReceived: async (_value, ctx) => {
        await sink.handle(ctx.eventId, ctx.key, { eventId: ctx.eventId, supplier: ctx.key! }, ctx.manager);
      },
    },
  });
  await consumer.start();

  await eventually('every event delivered', async () => platform.changes.length >= keys.length * perKey, 30_000);
  await eventually('all committed', async () => consumer!.stats.applied === keys.length * perKey, 10_000);

  expect(consumer.stats.deadLettered).toBe(0);
  expect(platform.changes).toHaveLength(keys.length * perKey);
  for (const key of keys) {
    expect(platform.changes.filter((c) => c.supplier === key).map((c) => Number(c.status))).toEqual([0, 1, 2, 3, 4]);
  }
  expect(breakerStates).toContain('open');
  expect(breakerStates.at(-1)).toBe('closed');
  expect(await ledger.open(bed.pool, sink.sink)).toEqual([]);
  const { rows } = await bed.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "${bed.schema}".finmesh_delivery_ledger WHERE status = 'delivered'`,
  );
  expect(rows[0]!.n).toBe(keys.length * perKey);
}, 60_000);
