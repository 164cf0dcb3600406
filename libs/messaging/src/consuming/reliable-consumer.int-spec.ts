import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { DEAD_LETTER_HEADERS } from '../dead-letter/dead-letter-headers';
import { publishEvent } from '../producing/publish-event';
import { BusinessRuleViolation, TransientFailure } from './error-classification';
import { type EventHandler } from './handler-context';
import { ReliableConsumer } from './reliable-consumer';
import { frame } from '@finmesh/contracts';
import { expectedPartition } from './partition-contract';
import { effectsPerEvent, eventually, invoiceReceived, openMessagingTestBed, testDataSource, uniqueName, type MessagingTestBed } from '@finmesh/testing';

const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

type Fixture = MessagingTestBed;
const setUp = (): Promise<Fixture> => openMessagingTestBed();
const tearDown = (f: Fixture): Promise<void> => f.teardown();

/** The handler under test: one effect row per applied event. */
const recordEffect: EventHandler = async (value, ctx) => {
  const v = value as { invoiceId: string };
  await ctx.manager.query('INSERT INTO effects (event_id, invoice_id) VALUES ($1, $2)', [ctx.eventId, v.invoiceId]);
};

function consumerFor(f: Fixture, handler: EventHandler, extra: Partial<ConstructorParameters<typeof ReliableConsumer>[0]> = {}): ReliableConsumer {
  return new ReliableConsumer({
    kafka: f.kafka,
    groupId: uniqueName('group'),
    topics: [f.topic],
    dataSource: f.ds,
    schema: f.schema,
    codec: f.codec,
    handlers: { InvoiceReceived: handler },
    logger,
    retry: { initialBackoffMs: 50, maxBackoffMs: 200, maxAttempts: 3 },
    ...extra,
  });
}

async function publishInvoice(f: Fixture, invoiceId: string, eventId?: string): Promise<string> {
  const value = invoiceReceived(invoiceId, eventId);
  await publishEvent(f.producer, f.codec, { event: 'InvoiceReceived', key: invoiceId, value, eventId: value.envelope.eventId, topic: f.topic });
  return value.envelope.eventId;
}

describe('ReliableConsumer on the real broker and database', () => {
  let f: Fixture;
  let consumer: ReliableConsumer | undefined;
  beforeEach(async () => {
    f = await setUp();
  });
  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await tearDown(f);
  });

  it('applies a duplicated event (same event id, delivered three times) exactly once', async () => {
    const eventIds = [] as string[];
    for (let k = 0; k < 20; k++) eventIds.push(await publishInvoice(f, `INV-${k}`));
    // The same events again, as a producer retry or an upstream re-send would.
    for (const [k, id] of eventIds.entries()) {
      await publishInvoice(f, `INV-${k}`, id);
      await publishInvoice(f, `INV-${k}`, id);
    }
    consumer = consumerFor(f, recordEffect);
    await consumer.start();
    await eventually('60 records consumed', async () => consumer!.stats.applied + consumer!.stats.duplicatesSkipped === 60);
    const effects = await effectsPerEvent(f);
    expect(effects.size).toBe(20);
    expect([...effects.values()].every((n) => n === 1)).toBe(true);
    expect(consumer.stats.duplicatesSkipped).toBe(40);
  });

  it('dead-letters poison bytes and an unknown schema id with their headers, and keeps processing the partition', async () => {
    const key = 'INV-same-partition';
    const before = await publishInvoice(f, key);
    await f.producer.send({ topic: f.topic, messages: [{ key, value: Buffer.from('not avro at all'), headers: { origin: 'test' } }] });
    const unknownId = frame(1_999_999_999, Buffer.from([2, 4, 6]));
    await f.producer.send({ topic: f.topic, messages: [{ key, value: unknownId }] });
    const after = await publishInvoice(f, key);

    consumer = consumerFor(f, recordEffect);
    await consumer.start();
    await eventually('both valid events applied', async () => (await effectsPerEvent(f)).size === 2);
    expect([...(await effectsPerEvent(f)).keys()].sort()).toEqual([before, after].sort());
    expect(consumer.stats.deadLettered).toBe(2);

    const dlt = await readAll(f.kafka, `${f.topic}.dlt`, 2);
    const byCode = new Map(dlt.map((m) => [m.headers[DEAD_LETTER_HEADERS.errorCode], m]));
    const poison = byCode.get('MALFORMED_WIRE_FORMAT');
    expect(poison?.value).toEqual(Buffer.from('not avro at all'));
    expect(poison?.key).toBe(key);
    expect(poison?.headers['origin']).toBe('test');
    expect(poison?.headers[DEAD_LETTER_HEADERS.errorClass]).toBe('PERMANENT');
    expect(poison?.headers[DEAD_LETTER_HEADERS.originalTopic]).toBe(f.topic);
    expect(poison?.headers[DEAD_LETTER_HEADERS.originalOffset]).toBe('1');
    expect(poison?.headers[DEAD_LETTER_HEADERS.attempts]).toBe('1');
    expect(poison?.headers[DEAD_LETTER_HEADERS.errorMessage]).toMatch(/magic byte/);
    expect(poison?.headers[DEAD_LETTER_HEADERS.consumerGroup]).toMatch(/^group-/);
    expect(new Date(poison?.headers[DEAD_LETTER_HEADERS.firstFailureAt] ?? '').getTime()).not.toBeNaN();
    const unknown = byCode.get('UNKNOWN_SCHEMA_ID');
    expect(unknown?.value).toEqual(unknownId);
    expect(unknown?.headers[DEAD_LETTER_HEADERS.originalOffset]).toBe('2');
  });

  it('dead-letters an event id re-sent with other content as EVENT_ID_CONFLICT, in the same run and after a commit; the same content is a duplicate', async () => {
    const key = 'INV-conflict';
    const first = invoiceReceived(key);
    const changed = { ...first, supplierInvoiceNumber: 'CHANGED-1' };
    const send = (value: Record<string, unknown>) => publishEvent(f.producer, f.codec, { event: 'InvoiceReceived', key, value, eventId: first.envelope.eventId, topic: f.topic });
    await send(first);
    await send(changed); // same run as the first
    await send(first); // a true duplicate
    consumer = consumerFor(f, recordEffect);
    await consumer.start();
    await eventually('first applied, conflict dead-lettered', async () => (await effectsPerEvent(f)).size === 1 && consumer!.stats.deadLettered === 1);
    await send({ ...first, supplierInvoiceNumber: 'CHANGED-2' }); // after the first committed
    await eventually('second conflict dead-lettered', async () => consumer!.stats.deadLettered === 2);
    expect((await effectsPerEvent(f)).get(first.envelope.eventId)).toBe(1);
    expect(consumer.stats.duplicatesSkipped).toBeGreaterThanOrEqual(1);
    const dead = await readAll(f.kafka, `${f.topic}.dlt`, 2);
    expect(dead.map((m) => m.headers[DEAD_LETTER_HEADERS.errorCode])).toEqual(['EVENT_ID_CONFLICT', 'EVENT_ID_CONFLICT']);
    expect(dead[0]?.headers[DEAD_LETTER_HEADERS.errorMessage]).toMatch(new RegExp(`event id ${first.envelope.eventId} was applied before with other content`));
  });

  it('dead-letters a record on another partition than murmur2 gives its key as WRONG_PARTITION, naming the expected one', async () => {
    const key = 'INV-misrouted';
    const expected = expectedPartition(f.topic, Buffer.from(key), 3);
    const wrong = (expected + 1) % 3;
    const value = invoiceReceived(key);
    const encoded = await f.codec.encode('InvoiceReceived', value, f.topic);
    // As a producer on another partitioner would place it (librdkafka's default, crc32).
    await f.producer.send({ topic: f.topic, messages: [{ key, value: encoded.bytes, partition: wrong, headers: { 'finmesh-event-id': value.envelope.eventId } }] });
    const good = await publishInvoice(f, key);
    consumer = consumerFor(f, recordEffect);
    await consumer.start();
    await eventually('the well-routed event applied, the misrouted one dead-lettered', async () => (await effectsPerEvent(f)).size === 1 && consumer!.stats.deadLettered === 1);
    expect([...(await effectsPerEvent(f)).keys()]).toEqual([good]);
    const [dead] = await readAll(f.kafka, `${f.topic}.dlt`, 1);
    expect(dead?.headers[DEAD_LETTER_HEADERS.errorCode]).toBe('WRONG_PARTITION');
    expect(dead?.headers[DEAD_LETTER_HEADERS.errorClass]).toBe('PERMANENT');
    expect(dead?.headers[DEAD_LETTER_HEADERS.errorMessage]).toContain(`belongs to partition ${expected} of ${f.topic} (murmur2, 3 partitions), not ${wrong}`);
  });

  it("dead-letters an event that breaks the contract's business rules as BUSINESS_RULE_VIOLATION naming the rule, and applies the next one", async () => {
    const key = 'INV-zzz';
    const bad = invoiceReceived(key);
    const schemaId = (await f.codec.encode('InvoiceReceived', bad, f.topic)).schemaId;
    // Schema-valid Avro with business content the rules forbid, as a third-party producer with
    // its own serializer could write it (the codec refuses to encode it).
    const breached = { ...bad, currency: 'ZZZ', lines: [] };
    expect(() => f.codec.validate('InvoiceReceived', breached)).toThrow(/breaks 2 business rule/);
    const bytes = frame(schemaId, f.codec.localType('InvoiceReceived').toBuffer(breached));
    await f.producer.send({ topic: f.topic, messages: [{ key, value: bytes, headers: { 'finmesh-event-id': bad.envelope.eventId } }] });
    const good = await publishInvoice(f, key);
    consumer = consumerFor(f, recordEffect);
    await consumer.start();
    await eventually('the good event applied, the breach dead-lettered', async () => (await effectsPerEvent(f)).size === 1 && consumer!.stats.deadLettered === 1);
    expect([...(await effectsPerEvent(f)).keys()]).toEqual([good]);
    expect(consumer.stats.retriesScheduled).toBe(0);
    const [dead] = await readAll(f.kafka, `${f.topic}.dlt`, 1);
    expect(dead?.headers[DEAD_LETTER_HEADERS.errorCode]).toBe('BUSINESS_RULE_VIOLATION');
    expect(dead?.headers[DEAD_LETTER_HEADERS.errorClass]).toBe('PERMANENT');
    expect(dead?.headers[DEAD_LETTER_HEADERS.errorMessage]).toContain('currency is not an active ISO 4217 currency code (rule finmesh.invoice.InvoiceReceived.currency format)');
    expect(dead?.headers[DEAD_LETTER_HEADERS.errorMessage]).toContain('lines has 0 item(s), fewer than the 1 required (rule finmesh.invoice.InvoiceReceived.lines minItems)');
  });

  it('dead-letters a business-rule violation at once, without retries', async () => {
    const eventId = await publishInvoice(f, 'INV-bad');
    consumer = consumerFor(f, async () => {
      throw new BusinessRuleViolation('currency XXX is not valid for legal entity NL01', 'CURRENCY_INVALID');
    });
    await consumer.start();
    await eventually('dead-lettered', async () => consumer!.stats.deadLettered === 1);
    expect(consumer.stats.retriesScheduled).toBe(0);
    const [dead] = await readAll(f.kafka, `${f.topic}.dlt`, 1);
    expect(dead?.headers[DEAD_LETTER_HEADERS.errorCode]).toBe('CURRENCY_INVALID');
    expect(dead?.headers['finmesh-event-id']).toBe(eventId);
  });

  it('retries a transient failure with backoff, without blocking other partitions, and then applies it once', async () => {
    const flaky = await publishInvoice(f, 'INV-flaky');
    let failuresLeft = 2;
    const others: string[] = [];
    for (let k = 0; k < 30; k++) others.push(await publishInvoice(f, `INV-other-${k}`));
    let otherAppliedWhileFlakyPending = false;
    consumer = consumerFor(
      f,
      async (value, ctx) => {
        if (ctx.eventId === flaky && failuresLeft > 0) {
          failuresLeft--;
          throw new TransientFailure('ERP answered 503');
        }
        if (ctx.eventId !== flaky && failuresLeft < 2 && failuresLeft >= 0 && !(await effectsPerEvent(f)).has(flaky)) {
          otherAppliedWhileFlakyPending = true;
        }
        await recordEffect(value, ctx);
      },
      { retry: { initialBackoffMs: 1500, maxBackoffMs: 3000, maxAttempts: 5, jitter: 0 } },
    );
    await consumer.start();
    await eventually('all 31 applied', async () => (await effectsPerEvent(f)).size === 31);
    const effects = await effectsPerEvent(f);
    expect(effects.get(flaky)).toBe(1);
    expect(consumer.stats.retriesScheduled).toBe(2);
    expect(consumer.stats.deadLettered).toBe(0);
    expect(otherAppliedWhileFlakyPending).toBe(true);
  });

  it('runs after-commit effects once per committed record, never for an attempt that rolled back', async () => {
    const flaky = await publishInvoice(f, 'INV-after-commit');
    let failuresLeft = 2;
    const counted: string[] = [];
    consumer = consumerFor(
      f,
      async (value, ctx) => {
        // Registered before the failure: the attempts that throw roll back and must not count.
        ctx.afterCommit(() => counted.push(ctx.eventId));
        await recordEffect(value, ctx);
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new TransientFailure('lock conflict');
        }
      },
      { retry: { initialBackoffMs: 50, maxBackoffMs: 100, maxAttempts: 5, jitter: 0 } },
    );
    await consumer.start();
    await eventually('applied', async () => (await effectsPerEvent(f)).get(flaky) === 1);
    expect(counted).toEqual([flaky]);
  });

  it('dead-letters a record whose transient failure outlasts the retry budget, as TRANSIENT_EXHAUSTED', async () => {
    await publishInvoice(f, 'INV-never');
    const next = await publishInvoice(f, 'INV-never');
    consumer = consumerFor(f, async (value, ctx) => {
      if ((value as { invoiceId: string }).invoiceId === 'INV-never' && ctx.eventId !== next) throw new Error('socket hang up');
      await recordEffect(value, ctx);
    });
    await consumer.start();
    await eventually('next record applied after the dead letter', async () => (await effectsPerEvent(f)).has(next));
    const [dead] = await readAll(f.kafka, `${f.topic}.dlt`, 1);
    expect(dead?.headers[DEAD_LETTER_HEADERS.errorClass]).toBe('TRANSIENT_EXHAUSTED');
    expect(dead?.headers[DEAD_LETTER_HEADERS.attempts]).toBe('3');
  });

  it('does not re-apply the committed part of a batch when a later record fails', async () => {
    const ids: string[] = [];
    for (let k = 0; k < 10; k++) ids.push(await publishInvoice(f, 'INV-one-partition'));
    let failOnce = true;
    consumer = consumerFor(f, async (value, ctx) => {
      if (ctx.eventId === ids[6] && failOnce) {
        failOnce = false;
        throw new TransientFailure('lock timeout');
      }
      await recordEffect(value, ctx);
    });
    await consumer.start();
    await eventually('all 10 applied', async () => (await effectsPerEvent(f)).size === 10);
    const effects = await effectsPerEvent(f);
    expect([...effects.values()].every((n) => n === 1)).toBe(true);
    const order = (await f.ds.query('SELECT event_id FROM effects ORDER BY id')) as { event_id: string }[];
    expect(order.map((r) => r.event_id)).toEqual(ids);
  });

  describe('ReliableConsumer batch handlers', () => {

    it('applies runs in one call each, and pins a failure inside a batch on the record that caused it', async () => {
      const ids: string[] = [];
      for (let k = 0; k < 40; k++) ids.push(await publishInvoice(f, k === 17 ? 'INV-POISON' : 'INV-batch'));
      for (const id of ids.slice(0, 5)) await publishInvoice(f, 'INV-batch', id); // redeliveries
      const calls: number[] = [];
      consumer = consumerFor(f, recordEffect, {
        handlers: {},
        batchHandlers: {
          InvoiceReceived: async (items) => {
            calls.push(items.length);
            if (items.some((i) => (i.value as { invoiceId: string }).invoiceId === 'INV-POISON')) {
              throw new BusinessRuleViolation('invoice INV-POISON references a closed purchase order');
            }
            for (const { value, context } of items) await recordEffect(value, context);
          },
        },
      });
      await consumer.start();
      await eventually('39 applied and 1 dead-lettered', async () => (await effectsPerEvent(f)).size === 39 && consumer!.stats.deadLettered === 1);
      const effects = await effectsPerEvent(f);
      expect([...effects.values()].every((n) => n === 1)).toBe(true);
      expect(effects.has(ids[17]!)).toBe(false);
      const [dead] = await readAll(f.kafka, `${f.topic}.dlt`, 1);
      expect(dead?.headers['finmesh-event-id']).toBe(ids[17]);
      expect(Math.max(...calls)).toBeGreaterThan(1); // real batches happened
      const order = (await f.ds.query('SELECT event_id FROM effects ORDER BY id')) as { event_id: string }[];
      expect(order.map((r) => r.event_id)).toEqual(ids.filter((_, k) => k !== 17));
    });
  });

  describe('ReliableConsumer under database backpressure', () => {

    it('hands partitions back while the pool is saturated and still applies everything once', async () => {
      // One connection for three concurrently consumed partitions: the pool is saturated by design.
      const narrow = await testDataSource(f.schema, 1);
      try {
        const ids: string[] = [];
        for (let k = 0; k < 90; k++) ids.push(await publishInvoice(f, `INV-bp-${k}`));
        consumer = consumerFor(
          f,
          async (value, ctx) => {
            await new Promise((r) => setTimeout(r, 5)); // a slow handler keeps the only connection busy
            await recordEffect(value, ctx);
          },
          { dataSource: narrow, partitionsConsumedConcurrently: 3, maxRecordsPerTransaction: 10 },
        );
        await consumer.start();
        await eventually('all 90 applied', async () => (await effectsPerEvent(f)).size === 90, 60_000);
        expect(consumer.stats.backpressurePauses).toBeGreaterThan(0);
        expect([...(await effectsPerEvent(f)).values()].every((n) => n === 1)).toBe(true);
      } finally {
        await consumer?.stop();
        consumer = undefined;
        await narrow.destroy();
      }
    });
  });
});

interface SimpleRecord {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

async function readAll(kafka: Kafka, topic: string, expected: number): Promise<SimpleRecord[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader') });
  const out: SimpleRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
      out.push({ key: message.key?.toString() ?? null, value: message.value, headers });
    },
  });
  await eventually(`${expected} records on ${topic}`, async () => out.length >= expected);
  await consumer.disconnect();
  return out;
}
