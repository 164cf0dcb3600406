import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { NextFunction, Request, Response } from 'express';
import { contextFromTraceparent, TRACEPARENT_HEADER } from '@finmesh/messaging';

/** Instrumentation scope of the HTTP server spans. */
export const HTTP_TRACER_NAME = '@finmesh/service-kit/http';

/**
 * Express middleware: each request is served inside a SERVER span (child of the caller's W3C
 * `traceparent`, when it sends one), so the request's log lines carry its trace id and an event
 * written to the outbox while serving it continues the same trace through Kafka.
 *
 * Named `<METHOD> <route>` once the route is known (the matched pattern, e.g. `/v1/invoices/:id`,
 * never the concrete path, which holds ids). Without initialised tracing the spans are no-ops.
 */
export function requestSpanMiddleware(req: Request, res: Response, next: NextFunction): void {
  const parent = contextFromTraceparent(typeof req.headers[TRACEPARENT_HEADER] === 'string' ? req.headers[TRACEPARENT_HEADER] : undefined);
  const span = trace.getTracer(HTTP_TRACER_NAME).startSpan(
    req.method,
    { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: req.path } },
    parent,
  );
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    const route = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof route === 'string') {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
    }
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.with(trace.setSpan(parent, span), next);
}
