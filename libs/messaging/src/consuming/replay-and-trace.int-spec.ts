import { trace } from '@opentelemetry/api';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxWriter } from '../outbox/outbox-writer';
import { withActionSpan, withDbSpan } from '../tracing/event-spans';
import { BusinessRuleViolation } from './error-classification';
import { type EventHandler } from './handler-context';
import { ReliableConsumer } from './reliable-consumer';
import { type EventCodec } from '@finmesh/contracts';
import { replayDeadLetters } from '@finmesh/ops';
import { env, eventually, invoiceReceived, openMessagingTestBed, setupTestTracing, uniqueName, type MessagingTestBed, type TestTracing } from '@finmesh/testing';

const logger = pino({ level: 'silent' });

/**
 * The whole hop on the real stack: a business action writes an event to the outbox, the relay
 * publishes it, the consumer applies it. Used to prove tracing across the hop and replay of a
 * dead letter.
 */
describe('outbox → Kafka → consumer hop', () => {
  let kafka: Kafka;
  let producer: Producer;
  let codec: EventCodec;
  let topic: string;
  let schema: string;
  let ds: DataSource;
  let pool: Pool;
  let relay: OutboxRelay;
  let consumer: ReliableConsumer | undefined;
  let tracing: TestTracing;
  let bed: MessagingTestBed;

  beforeEach(async () => {
    tracing = await setupTestTracing('hop-test');
    bed = await openMessagingTestBed({ partitions: 2, outbox: true });
    ({ kafka, producer, codec, topic, schema, ds, pool } = bed);
    relay = new OutboxRelay({ pool, connectionString: env.databaseUrl, schema, producer, logger });
    relay.start();
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
    await relay.stop();
    await bed.teardown();
    await tracing.shutdown();
  });

  async function receiveInvoice(invoiceId: string): Promise<{ eventId: string; traceId: string }> {
    const value = invoiceReceived(invoiceId);
    const writer = new OutboxWriter(codec, schema, () => topic);
    const traceId = await withActionSpan('receive invoice', async (span) => {
      await ds.transaction((tx) => writer.enqueue(tx, [{ event: 'InvoiceReceived', key: invoiceId, value }]));
      return span.spanContext().traceId;
    });
    return { eventId: value.envelope.eventId, traceId };
  }

  function startConsumer(handler: EventHandler): Promise<void> {
    consumer = new ReliableConsumer({
      kafka,
      groupId: uniqueName('hop-group'),
      topics: [topic],
      dataSource: ds,
      schema,
      codec,
      logger,
      handlers: { InvoiceReceived: handler },
    });
    return consumer.start();
  }

  const recordEffect: EventHandler = (_value, ctx) =>
    withDbSpan('INSERT effects', 'INSERT effects', () => ctx.manager.query('INSERT INTO effects (event_id) VALUES ($1)', [ctx.eventId]));

  async function effects(eventId: string): Promise<number> {
    const [r] = (await ds.query('SELECT count(*)::int AS n FROM effects WHERE event_id = $1', [eventId])) as { n: number }[];
    return r!.n;
  }

  it('carries one trace id from the business action through the relay into the handler and its SQL', async () => {
    let handlerTraceId: string | undefined;
    await startConsumer(async (value, ctx) => {
      handlerTraceId = trace.getActiveSpan()?.spanContext().traceId;
      await recordEffect(value, ctx);
    });
    const { eventId, traceId } = await receiveInvoice('INV-traced');
    await eventually('applied', async () => (await effects(eventId)) === 1);

    expect(handlerTraceId).toBe(traceId);
    const spans = tracing.finishedSpans();
    const send = spans.find((s) => s.name === `send ${topic}`);
    const processSpan = spans.find((s) => s.name === `process ${topic}`);
    const db = spans.find((s) => s.name === 'INSERT effects');
    expect(send?.spanContext().traceId).toBe(traceId);
    expect(processSpan?.spanContext().traceId).toBe(traceId);
    expect(processSpan?.parentSpanContext?.spanId).toBe(send?.spanContext().spanId);
    expect(db?.parentSpanContext?.spanId).toBe(processSpan?.spanContext().spanId);
  });

  it('replays a dead letter after the cause is fixed, and the event is applied exactly once', async () => {
    let supplierDataFixed = false;
    await startConsumer(async (value, ctx) => {
      if (!supplierDataFixed) throw new BusinessRuleViolation('supplier SUP-9 has no active site for legal entity NL01');
      await recordEffect(value, ctx);
    });
    const { eventId } = await receiveInvoice('INV-parked');
    await eventually('dead-lettered', async () => consumer!.stats.deadLettered === 1);
    expect(await effects(eventId)).toBe(0);

    supplierDataFixed = true; // the operator repaired the supplier master
    const dryRun = await replayDeadLetters({ kafka, pool, dltTopics: `${topic}.dlt`, dryRun: true, actor: 'ops-test' });
    expect(dryRun.planned).toHaveLength(1);
    expect(dryRun.replayed).toBe(0);

    const replay = await replayDeadLetters({ kafka, pool, dltTopics: `${topic}.dlt`, dryRun: false, actor: 'ops-test' });
    expect(replay.replayed).toBe(1);
    await eventually('applied after replay', async () => (await effects(eventId)) === 1);

    // An operator replays it again on purpose: the inbox still guarantees one effect.
    const again = await replayDeadLetters({ kafka, pool, dltTopics: `${topic}.dlt`, dryRun: false, actor: 'ops-test', includeAlreadyReplayed: true });
    expect(again.replayed).toBe(1);
    await eventually('second replay consumed', async () => consumer!.stats.duplicatesSkipped >= 1);
    expect(await effects(eventId)).toBe(1);
  });
});
