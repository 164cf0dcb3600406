/**
 * Spans that let one trace follow one finance event across services:
 *
 *   business action span (withActionSpan, e.g. "approve invoice", writes the outbox row and stores
 *   currentTraceparent() in it)
 *     └─ send <topic>        PRODUCER  (withPublishSpan / startPublishSpan, in the relay, later;
 *                                        its traceparent goes into the Kafka record header)
 *          └─ process <topic> CONSUMER  (withProcessSpan, in the consuming service)
 *               └─ <db span>  CLIENT    (withDbSpan, the handler's SQL)
 *
 * Batches: a consumer handles a whole Kafka batch in one DB transaction (withBatchSpan). The batch
 * span is NOT the parent of the per-record process spans: a batch mixes records of many traces, and
 * "one trace follows one event" needs each process span to be a child of its record's producer span.
 * Instead, as the messaging semantic conventions recommend for batches:
 *   - the batch span carries links to each record's producer span (from the records' headers), and
 *   - each process span started while the batch span is active carries a link back to the batch span,
 * so a trace viewer can go from an event to the batch transaction it was committed in and back.
 * DB work of the batch itself (BEGIN/COMMIT, inbox bookkeeping) runs in the batch span's context,
 * DB work of one record's handler in that record's process span.
 */
import {
  context,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { EVENT_HEADERS } from '../producing/event-headers';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_FINMESH_CORRELATION_ID,
  ATTR_FINMESH_EVENT_TYPE,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_OFFSET,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
  MESSAGING_SYSTEM_VALUE_KAFKA,
} from './semantic-attributes';
import { withCorrelationId } from './correlation-context';
import { contextFromKafkaHeaders, contextFromTraceparent, currentTraceparent, kafkaHeaderString } from './trace-headers';

/** Instrumentation scope of every span created here (the name it was published under, kept so trace queries keep working). */
export const EVENT_TRACER_NAME = '@finmesh/events';

/** The SDK's default link limit; links beyond it would be dropped silently, so we cap explicitly. */
const MAX_BATCH_LINKS = 128;

// Looked up per call, not cached: tests shut down and re-register providers within one process.
function tracer(): Tracer {
  return trace.getTracer(EVENT_TRACER_NAME);
}

// ---------------------------------------------------------------------------------------------
// Producer side
// ---------------------------------------------------------------------------------------------

export interface PublishSpanParams {
  readonly topic: string;
  readonly key: string;
  /** The finmesh event id (envelope `eventId`), recorded as `messaging.message.id`. */
  readonly eventId: string;
  readonly eventType: string;
  /**
   * The traceparent stored in the outbox row when the event was written (`currentTraceparent()`).
   * It becomes the parent, so the trace starts at the business action, not at the relay.
   * Absent (or malformed) → the publish span starts a new trace.
   */
  readonly parentTraceparent?: string | null;
}

/** A started PRODUCER span, for producers that send many records in one call (the relay's batches). */
export interface PublishSpanHandle {
  readonly span: Span;
  /**
   * The publish span's own traceparent: put it in the record's `traceparent` header. `undefined`
   * only when tracing is not initialized in this process and the event had no parent traceparent.
   */
  readonly traceparent: string | undefined;
  /** The publish span's context, to run code "inside" it (`context.with(handle.context, ...)`). */
  readonly context: Context;
  /** Ends the span as successful (the broker acknowledged the record). Idempotent. */
  end(): void;
  /** Records the error, sets error status and ends the span. Idempotent. */
  fail(error: unknown): void;
}

/**
 * Starts a PRODUCER span for one event and returns its traceparent, without running a callback:
 * for the relay, which produces whole batches in one `sendBatch`. End each handle after the broker
 * acknowledged (or failed) the batch.
 */
export function startPublishSpan(params: PublishSpanParams): PublishSpanHandle {
  const parent = contextFromTraceparent(params.parentTraceparent);
  const span = tracer().startSpan(
    `send ${params.topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        ...messagingAttributes(params.topic, MESSAGING_OPERATION_TYPE_VALUE_SEND),
        [ATTR_MESSAGING_KAFKA_MESSAGE_KEY]: params.key,
        [ATTR_MESSAGING_MESSAGE_ID]: params.eventId,
        [ATTR_FINMESH_EVENT_TYPE]: params.eventType,
      },
      links: linkToActiveSpan(parent),
    },
    parent,
  );
  const spanContext = trace.setSpan(parent, span);
  let ended = false;
  return {
    span,
    traceparent: currentTraceparent(spanContext),
    context: spanContext,
    end() {
      if (ended) return;
      ended = true;
      span.end();
    },
    fail(error: unknown) {
      if (ended) return;
      ended = true;
      markFailed(span, error);
      span.end();
    },
  };
}

/**
 * Runs `fn` inside a PRODUCER span whose parent is the outbox row's traceparent, passing the new
 * span's traceparent for the Kafka record header. Errors are recorded and rethrown; the span always ends.
 */
export async function withPublishSpan<T>(
  params: PublishSpanParams,
  fn: (traceparent: string | undefined, span: Span) => Promise<T>,
): Promise<T> {
  const handle = startPublishSpan(params);
  try {
    const result = await context.with(handle.context, () => fn(handle.traceparent, handle.span));
    handle.end();
    return result;
  } catch (error) {
    handle.fail(error);
    throw error;
  }
}

/**
 * Runs a business action (an HTTP request handler, an import job step) in an INTERNAL span, child
 * of the active span if any. Services have no HTTP auto-instrumentation, so without such a span
 * `currentTraceparent()` at outbox-write time would be undefined and the trace would start at the relay.
 */
export async function withActionSpan<T>(name: string, fn: (span: Span) => Promise<T>, attributes?: Attributes): Promise<T> {
  const parent = context.active();
  const span = tracer().startSpan(name, { kind: SpanKind.INTERNAL, ...(attributes ? { attributes } : {}) }, parent);
  return runInSpan(span, parent, fn);
}

// ---------------------------------------------------------------------------------------------
// Consumer side
// ---------------------------------------------------------------------------------------------

export interface ProcessSpanParams {
  readonly topic: string;
  readonly partition: number;
  /** kafkajs gives offsets as strings. */
  readonly offset: string;
  /** The record key as kafkajs delivers it (Buffer) or already decoded. */
  readonly key: string | Buffer | null | undefined;
  /** Defaults to the record's `finmesh-event-id` header (known before decoding the Avro body). */
  readonly eventId?: string;
  /** Defaults to the record's `finmesh-event-type` header. */
  readonly eventType?: string;
  readonly consumerGroup: string;
  /** The record's headers: `traceparent` there is the parent of the process span. */
  readonly headers: IHeaders | undefined;
}

/**
 * Runs the handler of one record in a CONSUMER span whose parent is the producer span named by
 * the record's `traceparent` header (no header → a new trace). The handler, and any `withDbSpan`
 * inside it, run in this span's context. When called inside `withBatchSpan`, the span links to the
 * batch span (see the comment at the top of this file). Exceptions are recorded, the status is set
 * to ERROR and the error is rethrown; the span ends in all cases.
 */
export async function withProcessSpan<T>(params: ProcessSpanParams, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = contextFromKafkaHeaders(params.headers);
  const eventId = params.eventId ?? kafkaHeaderString(params.headers, EVENT_HEADERS.eventId);
  const eventType = params.eventType ?? kafkaHeaderString(params.headers, EVENT_HEADERS.eventType);
  const attributes: Attributes = {
    ...messagingAttributes(params.topic, MESSAGING_OPERATION_TYPE_VALUE_PROCESS),
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(params.partition),
    [ATTR_MESSAGING_KAFKA_OFFSET]: Number(params.offset),
    [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: params.consumerGroup,
  };
  const key = params.key == null ? undefined : typeof params.key === 'string' ? params.key : params.key.toString('utf8');
  if (key !== undefined) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = key;
  if (eventId !== undefined) attributes[ATTR_MESSAGING_MESSAGE_ID] = eventId;
  if (eventType !== undefined) attributes[ATTR_FINMESH_EVENT_TYPE] = eventType;

  const correlationId = kafkaHeaderString(params.headers, EVENT_HEADERS.correlationId);
  if (correlationId !== undefined) attributes[ATTR_FINMESH_CORRELATION_ID] = correlationId;

  const span = tracer().startSpan(
    `process ${params.topic}`,
    { kind: SpanKind.CONSUMER, attributes, links: linkToActiveSpan(parent) },
    parent,
  );
  // Log lines written by the handler carry the flow's correlation id (see service-kit's logger).
  return withCorrelationId(correlationId, () => runInSpan(span, parent, fn));
}

export interface BatchSpanParams {
  readonly topic: string;
  readonly partition: number;
  readonly consumerGroup: string;
  /** Records in the batch (`messaging.batch.message_count`). */
  readonly count: number;
  /**
   * The records' headers; each valid traceparent becomes a link from the batch span to that
   * record's producer span (at most 128, the SDK's default link limit).
   */
  readonly recordHeaders?: ReadonlyArray<IHeaders | undefined>;
}

/**
 * Runs the processing of one Kafka batch (one DB transaction) in a CONSUMER span, child of the
 * active span if any, linked to the records' producer spans. Call `withProcessSpan` per record
 * inside `fn`: those spans stay in their events' traces and link back to this span.
 */
export async function withBatchSpan<T>(params: BatchSpanParams, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = context.active();
  const span = tracer().startSpan(
    `process ${params.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes(params.topic, MESSAGING_OPERATION_TYPE_VALUE_PROCESS),
        [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(params.partition),
        [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: params.consumerGroup,
        [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: params.count,
      },
      links: linksToRecords(params.recordHeaders ?? []),
    },
    parent,
  );
  return runInSpan(span, parent, fn);
}

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

export interface DbSpanOptions {
  /** `db.namespace`, e.g. the database or `finmesh.invoice_sync`. */
  readonly namespace?: string;
  /** `db.collection.name`, the main table. */
  readonly collectionName?: string;
}

/**
 * Runs database work in a CLIENT span (`db.system.name=postgresql`), child of the active span.
 *
 * `statementSummary` is a low-cardinality description such as `INSERT invoice_sync.inbox` or
 * `SELECT supplier by id` (`db.query.summary`). Never pass SQL text with literal values, and no
 * parameter values are recorded: they can carry bank details and tax ids.
 */
export async function withDbSpan<T>(
  name: string,
  statementSummary: string,
  fn: (span: Span) => Promise<T>,
  options: DbSpanOptions = {},
): Promise<T> {
  const attributes: Attributes = {
    [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL,
    [ATTR_DB_QUERY_SUMMARY]: statementSummary,
  };
  const operation = /^[A-Za-z]+/.exec(statementSummary.trim())?.[0];
  if (operation) attributes[ATTR_DB_OPERATION_NAME] = operation.toUpperCase();
  if (options.namespace) attributes[ATTR_DB_NAMESPACE] = options.namespace;
  if (options.collectionName) attributes[ATTR_DB_COLLECTION_NAME] = options.collectionName;
  const parent = context.active();
  const span = tracer().startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
  return runInSpan(span, parent, fn);
}

// ---------------------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------------------

/** Records `error` on `span` as an exception with ERROR status and `error.type` (the error's class name). */
export function markFailed(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span.setAttribute(ATTR_ERROR_TYPE, error.name || error.constructor.name);
  } else {
    span.recordException(String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
    span.setAttribute(ATTR_ERROR_TYPE, '_OTHER');
  }
}

async function runInSpan<T>(span: Span, parent: Context, fn: (span: Span) => Promise<T>): Promise<T> {
  try {
    // `await` inside the try: a rejected promise is recorded here, not after the span ended.
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    markFailed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function messagingAttributes(topic: string, operation: string): Attributes {
  return {
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_KAFKA,
    [ATTR_MESSAGING_DESTINATION_NAME]: topic,
    [ATTR_MESSAGING_OPERATION_TYPE]: operation,
    [ATTR_MESSAGING_OPERATION_NAME]: operation,
  };
}

/**
 * When a span's parent comes from elsewhere (the outbox row, the record header), the span that is
 * active locally (the relay's round, the consumer's batch) would otherwise be lost: keep it as a link.
 */
function linkToActiveSpan(parent: Context): Link[] {
  const active = trace.getSpanContext(context.active());
  if (!active || !isSpanContextValid(active)) return [];
  if (trace.getSpanContext(parent)?.spanId === active.spanId) return [];
  return [{ context: active }];
}

function linksToRecords(recordHeaders: ReadonlyArray<IHeaders | undefined>): Link[] {
  const links: Link[] = [];
  const seen = new Set<string>();
  for (const headers of recordHeaders) {
    if (links.length >= MAX_BATCH_LINKS) break;
    const producer = trace.getSpanContext(contextFromKafkaHeaders(headers));
    if (!producer || !isSpanContextValid(producer) || seen.has(producer.spanId)) continue;
    seen.add(producer.spanId);
    links.push({ context: producer });
  }
  return links;
}
