import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { SpanKind } from '@opentelemetry/api';
import { currentCorrelationId } from '@finmesh/messaging';
import { setupTestTracing, type TestTracing } from '@finmesh/testing';
import { correlationIdMiddleware } from '../../logging/log-context';
import { createLogger } from '../../logging/logger';
import { requestSpanMiddleware } from './request-span.middleware';

describe('requests are served in a server span with their correlation id', () => {
  let tracing: TestTracing;
  beforeAll(async () => (tracing = await setupTestTracing('invoice-sync')));
  afterAll(() => tracing.shutdown());

  it('log lines written while serving carry trace, span and correlation ids; the span is named by route', () => {
    const lines: string[] = [];
    const logger = createLogger('invoice-sync', 'info', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    const callerTrace = 'c'.repeat(32);
    const req = {
      method: 'GET',
      path: '/v1/invoices/4711',
      headers: { traceparent: `00-${callerTrace}-${'d'.repeat(16)}-01`, 'x-correlation-id': 'corr-7' },
      route: { path: '/v1/invoices/:invoiceId' },
    } as unknown as Request;
    const headers: Record<string, string> = {};
    const res = Object.assign(new EventEmitter(), { statusCode: 200, setHeader: (k: string, v: string) => (headers[k] = v) }) as unknown as Response;

    const handler: NextFunction = () => logger.info({ supplier: { iban: 'DE89370400440532013000' } }, 'serving');
    requestSpanMiddleware(req, res, () => correlationIdMiddleware(req, res, handler));
    res.emit('finish');

    const span = tracing.spanNamed('GET /v1/invoices/:invoiceId');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(callerTrace);
    expect(span.attributes).toMatchObject({ 'http.route': '/v1/invoices/:invoiceId', 'http.response.status_code': 200 });
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'serving', trace_id: callerTrace, span_id: span.spanContext().spanId, correlation_id: 'corr-7' });
    expect(lines[0]).not.toContain('DE89370400440532013000');
    expect(headers['X-Correlation-Id']).toBe('corr-7');
  });

  it('ignores a correlation id that is not a bounded token', () => {
    const req = { headers: { 'x-correlation-id': 'x'.repeat(200) } } as unknown as Request;
    const res = { setHeader: jest.fn() } as unknown as Response;
    let seen: string | undefined = 'not called';
    correlationIdMiddleware(req, res, () => (seen = currentCorrelationId()));
    expect(seen).toBeUndefined();
    expect(res.setHeader).not.toHaveBeenCalled();
  });
});
