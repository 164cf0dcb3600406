import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startPublishSpan, withActionSpan, withBatchSpan, withDbSpan, withProcessSpan, withPublishSpan } from './event-spans';
import { currentTraceparent } from './trace-headers';
import { setupTestTracing, type TestTracing } from '@finmesh/testing';

const TOPIC = 'finmesh.invoice.v1';
const PARENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const PARENT = `00-${PARENT_TRACE_ID}-${PARENT_SPAN_ID}-01`;

const publishParams = { topic: TOPIC, key: 'INV-1', eventId: 'evt-1', eventType: 'InvoiceReceived' };
const processParams = { topic: TOPIC, partition: 3, offset: '42', key: Buffer.from('INV-1'), consumerGroup: 'reporting-projector' };

const parentOf = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;

describe('event spans', () => {
  let tracing: TestTracing;
  beforeAll(async () => {
    tracing = await setupTestTracing('event-spans-test');
  });
  afterEach(() => tracing.reset());
  afterAll(() => tracing.shutdown());

  describe('withPublishSpan', () => {
    it('is a PRODUCER span whose parent is the traceparent stored with the outbox row', async () => {
      const traceparent = await withPublishSpan({ ...publishParams, parentTraceparent: PARENT }, async (tp) => tp);

      const span = tracing.spanNamed(`send ${TOPIC}`);
      expect(span.kind).toBe(SpanKind.PRODUCER);
      expect(span.spanContext().traceId).toBe(PARENT_TRACE_ID);
      expect(parentOf(span)).toBe(PARENT_SPAN_ID);
      expect(span.parentSpanContext?.isRemote).toBe(true);
      expect(traceparent).toBe(`00-${PARENT_TRACE_ID}-${span.spanContext().spanId}-01`);
      expect(span.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.destination.name': TOPIC,
        'messaging.operation.type': 'send',
        'messaging.kafka.message.key': 'INV-1',
        'messaging.message.id': 'evt-1',
        'finmesh.event.type': 'InvoiceReceived',
      });
    });

    it('starts a new trace when the event was written outside any span, and links the active relay span', async () => {
      const relayRound = trace.getTracer('test').startSpan('relay round');
      await context.with(trace.setSpan(context.active(), relayRound), () => withPublishSpan({ ...publishParams, parentTraceparent: null }, async () => undefined));
      relayRound.end();

      const span = tracing.spanNamed(`send ${TOPIC}`);
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(relayRound.spanContext().traceId);
      expect(span.links.map((l) => l.context.spanId)).toEqual([relayRound.spanContext().spanId]);
    });

    it('records a failed send, ends the span and rethrows', async () => {
      await expect(withPublishSpan(publishParams, async () => Promise.reject(new TypeError('broker down')))).rejects.toThrow('broker down');
      const span = tracing.spanNamed(`send ${TOPIC}`);
      expect(span.ended).toBe(true);
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'broker down' });
      expect(span.attributes['error.type']).toBe('TypeError');
      expect(span.events.map((e) => e.name)).toEqual(['exception']);
    });

    it('startPublishSpan gives per-record handles for a batch send, ended once', () => {
      const a = startPublishSpan({ ...publishParams, parentTraceparent: PARENT });
      const b = startPublishSpan({ ...publishParams, eventId: 'evt-2' });
      expect(a.traceparent).toContain(PARENT_TRACE_ID);
      expect(b.traceparent).not.toContain(PARENT_TRACE_ID);
      a.end();
      a.end();
      b.fail(new Error('rejected'));
      b.end();
      const spans = tracing.finishedSpans();
      expect(spans).toHaveLength(2);
      expect(spans[1]?.status.code).toBe(SpanStatusCode.ERROR);
    });
  });

  describe('withProcessSpan', () => {
    it('is a CONSUMER span, child of the producer span named in the record headers; the handler and DB spans run inside it', async () => {
      const result = await withProcessSpan(
        { ...processParams, headers: { traceparent: Buffer.from(PARENT), 'finmesh-event-id': Buffer.from('evt-1'), 'finmesh-event-type': Buffer.from('InvoiceReceived') } },
        async () => {
          expect(trace.getActiveSpan()?.spanContext().traceId).toBe(PARENT_TRACE_ID);
          return withDbSpan('insert projection', 'INSERT reporting.invoice', async () => 'done');
        },
      );
      expect(result).toBe('done');

      const process = tracing.spanNamed(`process ${TOPIC}`);
      const db = tracing.spanNamed('insert projection');
      expect(process.kind).toBe(SpanKind.CONSUMER);
      expect(process.spanContext().traceId).toBe(PARENT_TRACE_ID);
      expect(parentOf(process)).toBe(PARENT_SPAN_ID);
      expect(process.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.destination.name': TOPIC,
        'messaging.operation.type': 'process',
        'messaging.destination.partition.id': '3',
        'messaging.kafka.offset': 42,
        'messaging.kafka.message.key': 'INV-1',
        'messaging.consumer.group.name': 'reporting-projector',
        'messaging.message.id': 'evt-1',
        'finmesh.event.type': 'InvoiceReceived',
      });
      expect(db.kind).toBe(SpanKind.CLIENT);
      expect(db.spanContext().traceId).toBe(PARENT_TRACE_ID);
      expect(parentOf(db)).toBe(process.spanContext().spanId);
      expect(db.attributes).toEqual({ 'db.system.name': 'postgresql', 'db.query.summary': 'INSERT reporting.invoice', 'db.operation.name': 'INSERT' });
    });

    it('starts a new trace for a record without traceparent, even if a span is active', async () => {
      const outer = trace.getTracer('test').startSpan('poll');
      await context.with(trace.setSpan(context.active(), outer), () => withProcessSpan({ ...processParams, headers: {} }, async () => undefined));
      outer.end();
      const process = tracing.spanNamed(`process ${TOPIC}`);
      expect(process.parentSpanContext).toBeUndefined();
      expect(process.spanContext().traceId).not.toBe(outer.spanContext().traceId);
    });

    it('prefers explicit event id and type over the headers', async () => {
      await withProcessSpan({ ...processParams, eventId: 'evt-9', eventType: 'InvoicePosted', headers: { 'finmesh-event-id': 'evt-1' } }, async () => undefined);
      expect(tracing.spanNamed(`process ${TOPIC}`).attributes).toMatchObject({ 'messaging.message.id': 'evt-9', 'finmesh.event.type': 'InvoicePosted' });
    });

    it('records an exception with ERROR status, ends the span and rethrows (also for a DB span and non-Error throws)', async () => {
      const failure = new RangeError('amount out of range');
      await expect(
        withProcessSpan({ ...processParams, headers: { traceparent: PARENT } }, () =>
          withDbSpan('update ledger', 'UPDATE ledger', async () => {
            throw failure;
          }),
        ),
      ).rejects.toBe(failure);
      for (const name of [`process ${TOPIC}`, 'update ledger']) {
        const span = tracing.spanNamed(name);
        expect(span.ended).toBe(true);
        expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'amount out of range' });
        expect(span.attributes['error.type']).toBe('RangeError');
        expect(span.events[0]?.attributes?.['exception.message']).toBe('amount out of range');
      }

      tracing.reset();
      await expect(withProcessSpan({ ...processParams, headers: undefined }, () => Promise.reject('plain string'))).rejects.toBe('plain string');
      expect(tracing.spanNamed(`process ${TOPIC}`).status).toEqual({ code: SpanStatusCode.ERROR, message: 'plain string' });
    });

    it('ends the span when the handler throws synchronously', async () => {
      const handler = (): Promise<never> => {
        throw new Error('sync boom');
      };
      await expect(withProcessSpan({ ...processParams, headers: undefined }, handler)).rejects.toThrow('sync boom');
      expect(tracing.spanNamed(`process ${TOPIC}`).status.code).toBe(SpanStatusCode.ERROR);
    });
  });

  describe('withBatchSpan', () => {
    it('links the batch to every record producer; per-record process spans keep their producer as parent and link the batch', async () => {
      const other = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
      const records = [{ traceparent: Buffer.from(PARENT) }, { traceparent: Buffer.from(other) }, { traceparent: Buffer.from(PARENT) }, undefined];

      await withBatchSpan({ topic: TOPIC, partition: 3, consumerGroup: 'g', count: records.length, recordHeaders: records }, async () => {
        await withDbSpan('begin', 'BEGIN', async () => undefined);
        for (const [i, headers] of records.entries()) {
          await withProcessSpan({ ...processParams, offset: String(i), headers }, async () => undefined);
        }
      });

      const spans = tracing.finishedSpans();
      const batch = spans.find((s) => s.attributes['messaging.batch.message_count'] === 4)!;
      const processes = spans.filter((s) => s.name === `process ${TOPIC}` && s !== batch);
      expect(batch.kind).toBe(SpanKind.CONSUMER);
      expect(batch.links.map((l) => l.context.spanId)).toEqual([PARENT_SPAN_ID, 'b'.repeat(16)]);
      expect(parentOf(tracing.spanNamed('begin'))).toBe(batch.spanContext().spanId);

      expect(processes).toHaveLength(4);
      expect(processes.map(parentOf)).toEqual([PARENT_SPAN_ID, 'b'.repeat(16), PARENT_SPAN_ID, undefined]);
      expect(processes.map((p) => p.spanContext().traceId)).toEqual([PARENT_TRACE_ID, 'a'.repeat(32), PARENT_TRACE_ID, expect.any(String)]);
      expect(processes[3]?.spanContext().traceId).not.toBe(batch.spanContext().traceId);
      for (const p of processes) expect(p.links.map((l) => l.context.spanId)).toEqual([batch.spanContext().spanId]);
    });
  });

  describe('withActionSpan', () => {
    it('makes the business action the root whose traceparent the outbox row stores', async () => {
      const stored = await withActionSpan('approve invoice', async () => currentTraceparent(), { 'finmesh.invoice.id': 'INV-1' });
      const action = tracing.spanNamed('approve invoice');
      expect(stored).toBe(`00-${action.spanContext().traceId}-${action.spanContext().spanId}-01`);
      expect(action.attributes['finmesh.invoice.id']).toBe('INV-1');

      await withPublishSpan({ ...publishParams, parentTraceparent: stored }, async () => undefined);
      expect(parentOf(tracing.spanNamed(`send ${TOPIC}`))).toBe(action.spanContext().spanId);
    });
  });
});
