import { Writable } from 'node:stream';
import { EVENT_HEADERS, withProcessSpan } from '@finmesh/messaging';
import { setupTestTracing, type TestTracing } from '@finmesh/testing';
import { createLogger } from './logger';

const IBAN = 'DE89370400440532013000';

function capturedLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    logger: createLogger('invoice-sync', 'info', destination),
    lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('log lines written while an event is handled', () => {
  let tracing: TestTracing;
  beforeAll(async () => (tracing = await setupTestTracing('invoice-sync')));
  afterAll(() => tracing.shutdown());

  it('carry the trace id, span id and correlation id, and never a bank account', async () => {
    const { logger, lines } = capturedLogger();
    const parentTrace = 'a'.repeat(32);
    await withProcessSpan(
      {
        topic: 'finmesh.supplier.events',
        partition: 0,
        offset: '7',
        key: 'S-1',
        consumerGroup: 'invoice-sync',
        headers: {
          traceparent: `00-${parentTrace}-${'b'.repeat(16)}-01`,
          [EVENT_HEADERS.correlationId]: 'corr-42',
          [EVENT_HEADERS.eventType]: 'SupplierUpserted',
        },
      },
      async () => logger.info({ supplier: { supplierId: 'S-1', bankAccounts: [{ iban: IBAN }], taxIds: ['DE123456789'] } }, 'supplier replicated'),
    );
    logger.info('outside any event');

    const [inside, outside] = lines();
    const span = tracing.spanNamed('process finmesh.supplier.events').spanContext();
    expect(inside).toMatchObject({ msg: 'supplier replicated', trace_id: parentTrace, span_id: span.spanId, correlation_id: 'corr-42' });
    expect(JSON.stringify(inside)).not.toContain(IBAN);
    expect(JSON.stringify(inside)).not.toContain('DE123456789');
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('correlation_id');
  });
});
