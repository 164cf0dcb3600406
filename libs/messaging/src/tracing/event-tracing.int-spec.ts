import { createTopicsAndWait } from '@finmesh/contracts';
import { SpanKind } from '@opentelemetry/api';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { Client } from 'pg';
import { setupTestTracing, testEnvironment, type TestTracing, uniqueName, testKafka } from '@finmesh/testing';
import { withActionSpan, withBatchSpan, withDbSpan, withProcessSpan, withPublishSpan } from './event-spans';
import { currentTraceparent } from './trace-headers';

/**
 * One trace follows one event through a real broker: business action → (outbox traceparent) →
 * publish span → Kafka `traceparent` header → process span → DB span.
 */
describe('event tracing across a real Kafka broker', () => {
  const env = testEnvironment();
  const kafka = testKafka(uniqueName('tracing-test'));
  const topic = uniqueName('finmesh-test-tracing');
  const groupId = uniqueName('tracing-group');
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;
  let pg: Client;
  let tracing: TestTracing;

  beforeAll(async () => {
    tracing = await setupTestTracing('tracing-int-test');
    admin = kafka.admin();
    producer = kafka.producer();
    consumer = kafka.consumer({ groupId });
    pg = new Client({ connectionString: env.databaseUrl });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect(), pg.connect()]);
    await createTopicsAndWait(admin, [{ topic, numPartitions: 1 }]);
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.all([admin?.disconnect(), producer?.disconnect(), pg?.end()]);
    await tracing?.shutdown();
  });

  it('links the consumer process span to the producer span through the traceparent header, with DB work as its child', async () => {
    const eventId = uniqueName('evt');
    const key = uniqueName('INV');

    // Service A: the business action writes the event to its outbox and stores the traceparent.
    const storedTraceparent = await withActionSpan('approve invoice', async () => currentTraceparent());
    expect(storedTraceparent).toBeDefined();

    // Service A's relay, later and outside the action: publish span parented to the stored traceparent.
    await withPublishSpan({ topic, key, eventId, eventType: 'InvoiceApproved', parentTraceparent: storedTraceparent }, async (traceparent) => {
      await producer.send({
        topic,
        messages: [{ key, value: Buffer.from('{}'), headers: { traceparent: traceparent!, 'finmesh-event-id': eventId, 'finmesh-event-type': 'InvoiceApproved' } }],
      });
    });

    // Service B: a batch consumer, one process span per record, real SQL inside.
    let handled!: () => void;
    let failed!: (error: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      handled = resolve;
      failed = reject;
    });
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        try {
          await withBatchSpan(
            { topic: batch.topic, partition: batch.partition, consumerGroup: groupId, count: batch.messages.length, recordHeaders: batch.messages.map((m) => m.headers) },
            async () => {
              for (const m of batch.messages) {
                await withProcessSpan(
                  { topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, consumerGroup: groupId, headers: m.headers },
                  () => withDbSpan('select one', 'SELECT 1', () => pg.query('SELECT 1 AS one')),
                );
              }
            },
          );
          handled();
        } catch (error) {
          failed(error);
          throw error;
        }
      },
    });
    await done;
    await tracing.handle.forceFlush();

    const action = tracing.spanNamed('approve invoice');
    const publish = tracing.spanNamed(`send ${topic}`);
    const spans = tracing.finishedSpans().filter((s) => s.name === `process ${topic}`);
    const batch = spans.find((s) => s.attributes['messaging.batch.message_count'] !== undefined)!;
    const process = spans.find((s) => s !== batch)!;
    const db = tracing.spanNamed('select one');

    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.spanContext().traceId).toBe(action.spanContext().traceId);
    expect(publish.parentSpanContext?.spanId).toBe(action.spanContext().spanId);

    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.spanContext().traceId).toBe(publish.spanContext().traceId);
    expect(process.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(process.attributes).toMatchObject({
      'messaging.destination.name': topic,
      'messaging.consumer.group.name': groupId,
      'messaging.message.id': eventId,
      'messaging.kafka.message.key': key,
      'messaging.kafka.offset': 0,
    });

    expect(db.spanContext().traceId).toBe(process.spanContext().traceId);
    expect(db.parentSpanContext?.spanId).toBe(process.spanContext().spanId);
    expect(db.attributes['db.system.name']).toBe('postgresql');

    expect(batch.links.map((l) => l.context.spanId)).toEqual([publish.spanContext().spanId]);
    expect(process.links.map((l) => l.context.spanId)).toEqual([batch.spanContext().spanId]);
  });
});
