import { context, trace, TraceFlags, ROOT_CONTEXT } from '@opentelemetry/api';
import {
  contextFromKafkaHeaders,
  contextFromTraceparent,
  currentTraceparent,
  injectTraceHeaders,
  kafkaHeaderString,
} from './trace-headers';
import { setupTestTracing, type TestTracing } from '@finmesh/testing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${SPAN_ID}-01`;

describe('trace headers', () => {
  let tracing: TestTracing;
  beforeAll(async () => {
    tracing = await setupTestTracing('trace-headers-test');
  });
  afterAll(() => tracing.shutdown());

  it('round-trips the active span through Kafka headers: same trace id, same span id, remote parent', () => {
    const span = trace.getTracer('test').startSpan('business action');
    const headers = context.with(trace.setSpan(context.active(), span), () => injectTraceHeaders({ 'finmesh-event-id': 'e-1' }));
    span.end();

    expect(headers['finmesh-event-id']).toBe('e-1');
    expect(headers['traceparent']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // kafkajs consumers see header values as Buffers.
    const extracted = trace.getSpanContext(contextFromKafkaHeaders({ traceparent: Buffer.from(headers['traceparent']!) }));
    expect(extracted).toEqual(
      expect.objectContaining({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, isRemote: true, traceFlags: TraceFlags.SAMPLED }),
    );
  });

  it('serializes the active context for the outbox row and parses it back', () => {
    const span = trace.getTracer('test').startSpan('write');
    const stored = context.with(trace.setSpan(context.active(), span), () => currentTraceparent());
    span.end();
    expect(stored).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);

    const parsed = trace.getSpanContext(contextFromTraceparent(stored));
    expect(parsed?.traceId).toBe(span.spanContext().traceId);
    expect(parsed?.isRemote).toBe(true);
  });

  it('has no traceparent without an active span, and leaves headers untouched', () => {
    expect(currentTraceparent(ROOT_CONTEXT)).toBeUndefined();
    expect(injectTraceHeaders({ a: 'b' }, ROOT_CONTEXT)).toEqual({ a: 'b' });
  });

  it('gives a context without any span for a missing or malformed traceparent, even inside an active span', () => {
    const span = trace.getTracer('test').startSpan('local');
    context.with(trace.setSpan(context.active(), span), () => {
      expect(trace.getSpanContext(contextFromTraceparent(undefined))).toBeUndefined();
      expect(trace.getSpanContext(contextFromTraceparent(null))).toBeUndefined();
      expect(trace.getSpanContext(contextFromTraceparent('00-not-a-traceparent'))).toBeUndefined();
      expect(trace.getSpanContext(contextFromKafkaHeaders(undefined))).toBeUndefined();
      expect(trace.getSpanContext(contextFromKafkaHeaders({ other: 'x' }))).toBeUndefined();
    });
    span.end();
  });

  it('reads kafkajs header values given as Buffer, string or array (last value wins), case-insensitively', () => {
    expect(kafkaHeaderString({ traceparent: TRACEPARENT }, 'traceparent')).toBe(TRACEPARENT);
    expect(kafkaHeaderString({ traceparent: Buffer.from(TRACEPARENT) }, 'traceparent')).toBe(TRACEPARENT);
    expect(kafkaHeaderString({ traceparent: [Buffer.from('00-old'), TRACEPARENT] }, 'traceparent')).toBe(TRACEPARENT);
    expect(kafkaHeaderString({ TraceParent: TRACEPARENT }, 'traceparent')).toBe(TRACEPARENT);
    expect(kafkaHeaderString({ traceparent: [] }, 'traceparent')).toBeUndefined();
    expect(kafkaHeaderString(undefined, 'traceparent')).toBeUndefined();

    const ctx = contextFromKafkaHeaders({ traceparent: [Buffer.from(`00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`), Buffer.from(TRACEPARENT)] });
    expect(trace.getSpanContext(ctx)?.spanId).toBe(SPAN_ID);
  });

  it('carries tracestate along with traceparent', () => {
    const ctx = contextFromKafkaHeaders({ traceparent: Buffer.from(TRACEPARENT), tracestate: Buffer.from('vendor=abc') });
    expect(trace.getSpanContext(ctx)?.traceState?.get('vendor')).toBe('abc');
    expect(injectTraceHeaders({}, ctx)).toEqual({ traceparent: TRACEPARENT, tracestate: 'vendor=abc' });
  });
});
