import { context, propagation, ProxyTracerProvider, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface TracingOptions {
  /** `service.name` on every span of this process (e.g. `invoice-sync`). */
  readonly serviceName: string;
  /**
   * Base URL of an OTLP/HTTP collector (`FINMESH_OTLP_ENDPOINT`, e.g. `http://127.0.0.1:4318`);
   * spans go to `${otlpEndpoint}/v1/traces` through a BatchSpanProcessor.
   */
  readonly otlpEndpoint?: string;
  /**
   * An explicit exporter wins over `otlpEndpoint`. It is wired through a SimpleSpanProcessor, so each
   * span is handed over when it ends: what tests with an InMemorySpanExporter need.
   */
  readonly exporter?: SpanExporter;
}

/** Where spans go: an explicit exporter, an OTLP collector, or nowhere (ids still propagate). */
export type TracingExportMode = 'custom' | 'otlp' | 'none';

export interface TracingHandle {
  readonly serviceName: string;
  readonly exportMode: TracingExportMode;
  /** Flushes pending spans, then unregisters the global provider so `initTracing` may run again. Idempotent. */
  shutdown(): Promise<void>;
  /** Exports every span ended so far (call before asserting or before a process exits on purpose). */
  forceFlush(): Promise<void>;
}

/** `initTracing` was called again with a different configuration while a provider is registered. */
export class TracingAlreadyInitializedError extends Error {
  constructor(existing: TracingOptions, requested: TracingOptions) {
    super(
      `OpenTelemetry tracing is already initialized for service "${existing.serviceName}" ` +
        `(${describeOptions(existing)}); refusing to re-initialize for "${requested.serviceName}" (${describeOptions(requested)}). ` +
        'Call shutdown() on the first handle (or resetTracingForTests() in tests) before initializing again.',
    );
    this.name = 'TracingAlreadyInitializedError';
  }
}

/** Another library registered a global OpenTelemetry tracer provider before `initTracing`. */
export class ForeignTracerProviderError extends Error {
  constructor() {
    super(
      'A global OpenTelemetry tracer provider was registered by something other than initTracing(); ' +
        'finmesh registers its own provider once per process, so remove the other registration.',
    );
    this.name = 'ForeignTracerProviderError';
  }
}

interface ActiveTracing {
  readonly options: TracingOptions;
  readonly handle: TracingHandle;
}

// One provider per process: the OpenTelemetry API keeps a single global provider, context manager
// and propagator, so a second, different registration would silently be ignored by the API.
let active: ActiveTracing | undefined;

/**
 * Registers the process-wide tracer provider: AsyncLocalStorage context (the active span follows
 * `await`s), W3C trace-context propagation and `service.name` on the resource.
 *
 * Call it once at process start, before the first span. Calling it again with the same options
 * returns the same handle (harmless when a Nest module is instantiated twice); with different
 * options it throws `TracingAlreadyInitializedError`: a process has one identity and one export
 * pipeline. To change it (tests), `await handle.shutdown()` or `await resetTracingForTests()` first.
 */
export function initTracing(options: TracingOptions): TracingHandle {
  if (!options.serviceName.trim()) throw new Error('initTracing: serviceName must not be empty');
  if (active) {
    if (sameOptions(active.options, options)) return active.handle;
    throw new TracingAlreadyInitializedError(active.options, options);
  }

  const exportMode: TracingExportMode = options.exporter ? 'custom' : options.otlpEndpoint ? 'otlp' : 'none';
  const spanProcessors: SpanProcessor[] = [];
  if (options.exporter) {
    spanProcessors.push(new SimpleSpanProcessor(options.exporter));
  } else if (options.otlpEndpoint) {
    // Batching keeps the export off the hot path of producing and handling events.
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl(options.otlpEndpoint) })));
  }
  // With no processor the provider still creates sampled spans with real ids, so a traceparent
  // written to the outbox or a Kafka header keeps one trace across services even when this one exports nothing.

  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName })),
    spanProcessors,
  });
  // Only W3C trace context (traceparent/tracestate) crosses process boundaries: baggage is not
  // propagated, since it could carry business data (bank details) into headers of other systems.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  if (registeredDelegate() !== provider) {
    void provider.shutdown().catch(() => undefined);
    throw new ForeignTracerProviderError();
  }

  let shutdownPromise: Promise<void> | undefined;
  const handle: TracingHandle = {
    serviceName: options.serviceName,
    exportMode,
    forceFlush: () => provider.forceFlush(),
    shutdown: () => {
      shutdownPromise ??= (async () => {
        try {
          await provider.shutdown();
        } finally {
          if (active?.handle === handle) {
            active = undefined;
            // Unregister so a later initTracing (next test, or a restarted app in one process) can register again.
            trace.disable();
            context.disable();
            propagation.disable();
          }
        }
      })();
      return shutdownPromise;
    },
  };
  active = { options, handle };
  return handle;
}

/** True between `initTracing` and the handle's `shutdown()`. */
export function isTracingInitialized(): boolean {
  return active !== undefined;
}

/**
 * Shuts down and unregisters whatever `initTracing` registered, so the next test can initialize
 * with its own exporter. Jest isolates module state per test file, but tests within one file share
 * it: call this (or the handle's `shutdown()`) in `afterAll`/`afterEach` when a file initializes more than once.
 */
export async function resetTracingForTests(): Promise<void> {
  if (active) await active.handle.shutdown();
}

/** `${endpoint}/v1/traces`, tolerant of a trailing slash, and of an endpoint that already names the path. */
export function otlpTracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}

function registeredDelegate(): unknown {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
}

function sameOptions(a: TracingOptions, b: TracingOptions): boolean {
  return a.serviceName === b.serviceName && a.otlpEndpoint === b.otlpEndpoint && a.exporter === b.exporter;
}

function describeOptions(o: TracingOptions): string {
  if (o.exporter) return `custom exporter ${o.exporter.constructor.name}`;
  return o.otlpEndpoint ? `OTLP ${otlpTracesUrl(o.otlpEndpoint)}` : 'no exporter';
}
