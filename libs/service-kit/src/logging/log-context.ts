import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { currentCorrelationId, withCorrelationId } from '@finmesh/messaging';

export interface LogContext {
  trace_id?: string;
  span_id?: string;
  correlation_id?: string;
  request_id?: string;
}

/**
 * Fields every log line gets (pino mixin): the active span's trace and span ids, so a log line
 * leads to its trace, and the correlation id of the flow being handled (set by the consumer
 * runtime from the event envelope, and by `correlationIdMiddleware` from the request header).
 */
export function logContext(): LogContext {
  const context: LogContext = {};
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    context.trace_id = span.traceId;
    context.span_id = span.spanId;
  }
  const correlationId = currentCorrelationId();
  if (correlationId) context.correlation_id = correlationId;
  const requestId = currentRequestId();
  if (requestId) context.request_id = requestId;
  return context;
}

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** Ids are opaque, but bounded: a header is client input and ends up in every log line. */
const OPAQUE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The header's value when it is a well-formed opaque id, else undefined. */
function opaqueIdHeader(req: Request, name: string): string | undefined {
  const header = req.headers[name.toLowerCase()];
  return typeof header === 'string' && OPAQUE_ID.test(header) ? header : undefined;
}

/**
 * Express middleware: a request that names its flow in X-Correlation-Id has that id on every log
 * line written while it is served (and echoed in the response). Nothing is invented when the header
 * is absent: an id that appears in no envelope would correlate nothing.
 */
export function correlationIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const correlationId = opaqueIdHeader(req, CORRELATION_ID_HEADER);
  if (correlationId) res.setHeader(CORRELATION_ID_HEADER, correlationId);
  withCorrelationId(correlationId, next);
}

export const REQUEST_ID_HEADER = 'X-Request-Id';

const requests = new AsyncLocalStorage<{ readonly requestId: string }>();

/** The id of the HTTP request being served, if any (on its log lines and in its problem answers). */
export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}

/**
 * Express middleware: every response carries an X-Request-Id, the caller's own when it sends a
 * well-formed one (a gateway's), else a new one; the request's log lines carry it as request_id
 * and an error answer names it, so a platform team quoting it leads straight to the logs.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = opaqueIdHeader(req, REQUEST_ID_HEADER) ?? randomUUID();
  res.setHeader(REQUEST_ID_HEADER, requestId);
  requests.run({ requestId }, next);
}
