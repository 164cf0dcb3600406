import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { currentCorrelationId, withCorrelationId } from '@finmesh/messaging';

export interface LogContext {
  trace_id?: string;
  span_id?: string;
  correlation_id?: string;
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
  return context;
}

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** Ids are opaque, but bounded: a header is client input and ends up in every log line. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Express middleware: a request that names its flow in X-Correlation-Id has that id on every log
 * line written while it is served (and echoed in the response). Nothing is invented when the header
 * is absent: an id that appears in no envelope would correlate nothing.
 */
export function correlationIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const header = req.headers[CORRELATION_ID_HEADER.toLowerCase()];
  const correlationId = typeof header === 'string' && CORRELATION_ID.test(header) ? header : undefined;
  if (correlationId) res.setHeader(CORRELATION_ID_HEADER, correlationId);
  withCorrelationId(correlationId, next);
}
