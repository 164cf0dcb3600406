import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { withProcessSpan } from './event-spans';
import { currentTraceparent } from './trace-headers';
import { initTracing, isTracingInitialized, otlpTracesUrl, resetTracingForTests, TracingAlreadyInitializedError } from './tracing-setup';

describe('initTracing', () => {
  afterEach(() => resetTracingForTests());

  it('exports to the given exporter with service.name on the resource', async () => {
    const exporter = new InMemorySpanExporter();
    const handle = initTracing({ serviceName: 'invoice-sync', exporter });
    expect(handle.exportMode).toBe('custom');
    trace.getTracer('t').startSpan('s').end();
    await handle.forceFlush();
    expect(exporter.getFinishedSpans()[0]?.resource.attributes['service.name']).toBe('invoice-sync');
  });

  it('returns the same handle for the same options and refuses a different configuration', () => {
    const exporter = new InMemorySpanExporter();
    const handle = initTracing({ serviceName: 'a', exporter });
    expect(initTracing({ serviceName: 'a', exporter })).toBe(handle);
    expect(() => initTracing({ serviceName: 'b', exporter })).toThrow(TracingAlreadyInitializedError);
    expect(() => initTracing({ serviceName: 'a' })).toThrow(/already initialized for service "a".*resetTracingForTests/);
  });

  it('can initialize again after shutdown, with a new exporter', async () => {
    const first = new InMemorySpanExporter();
    await initTracing({ serviceName: 'a', exporter: first }).shutdown();
    expect(isTracingInitialized()).toBe(false);

    const second = new InMemorySpanExporter();
    initTracing({ serviceName: 'b', exporter: second });
    trace.getTracer('t').startSpan('after restart').end();
    expect(second.getFinishedSpans().map((s) => s.name)).toEqual(['after restart']);
  });

  it('without an exporter still gives spans real ids, so the traceparent propagates', async () => {
    const handle = initTracing({ serviceName: 'quiet' });
    expect(handle.exportMode).toBe('none');
    const parent = `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`;
    const tp = await withProcessSpan(
      { topic: 't', partition: 0, offset: '0', key: null, consumerGroup: 'g', headers: { traceparent: parent } },
      async () => currentTraceparent(),
    );
    expect(tp).toMatch(new RegExp(`^00-${'c'.repeat(32)}-[0-9a-f]{16}-01$`));
    expect(tp).not.toBe(parent);
  });

  it('configures OTLP over HTTP when an endpoint is set (nothing is sent until spans exist)', async () => {
    const handle = initTracing({ serviceName: 'otlp', otlpEndpoint: 'http://127.0.0.1:4318/' });
    expect(handle.exportMode).toBe('otlp');
    await handle.shutdown();
  });

  it('builds the OTLP traces URL', () => {
    expect(otlpTracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/v1/traces')).toBe('http://collector:4318/v1/traces');
  });

  it('rejects an empty service name', () => {
    expect(() => initTracing({ serviceName: ' ' })).toThrow(/serviceName/);
  });
});
