import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { initTracing, resetTracingForTests, type TracingHandle } from '@finmesh/messaging';

/** Tracing wired to an in-memory exporter, for asserting on finished spans in tests. */
export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  readonly handle: TracingHandle;
  /** Spans ended so far (each is exported synchronously when it ends). */
  finishedSpans(): ReadableSpan[];
  /** The one finished span with this name; throws (listing what exists) if there is none or several. */
  spanNamed(name: string): ReadableSpan;
  /** Forgets finished spans (e.g. in `afterEach`). */
  reset(): void;
  /** Shuts the provider down and unregisters it, so another test file/setup may initialize. */
  shutdown(): Promise<void>;
}

/**
 * Shuts down any tracing initialized before (tests in one file share module state), then
 * initializes tracing with a fresh InMemorySpanExporter behind a SimpleSpanProcessor.
 */
export async function setupTestTracing(serviceName = 'finmesh-test'): Promise<TestTracing> {
  await resetTracingForTests();
  // A new exporter every time: an InMemorySpanExporter stops recording once shut down.
  const exporter = new InMemorySpanExporter();
  const handle = initTracing({ serviceName, exporter });
  return {
    exporter,
    handle,
    finishedSpans: () => exporter.getFinishedSpans(),
    spanNamed(name: string): ReadableSpan {
      const spans = exporter.getFinishedSpans();
      const matching = spans.filter((s) => s.name === name);
      if (matching.length !== 1) {
        throw new Error(`expected exactly one finished span "${name}", found ${matching.length} among [${spans.map((s) => s.name).join(', ')}]`);
      }
      return matching[0]!;
    },
    reset: () => exporter.reset(),
    shutdown: () => handle.shutdown(),
  };
}
