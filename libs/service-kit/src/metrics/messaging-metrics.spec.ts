import { exposedValue } from '@finmesh/testing';
import { MessagingMetrics } from './messaging-metrics';
import { ServiceMetrics } from './service-metrics';

describe('MessagingMetrics', () => {
  it('records what the messaging runtime reports', async () => {
    const registry = new ServiceMetrics('invoice-sync', { defaultMetrics: false });
    const m = new MessagingMetrics(registry);
    m.eventsConsumed({ topic: 'finmesh.invoice.events', event: 'InvoiceReceived', outcome: 'applied', count: 3 });
    m.eventsConsumed({ topic: 'finmesh.invoice.events', event: 'InvoiceReceived', outcome: 'duplicate', count: 1 });
    m.handlerFinished({ topic: 'finmesh.invoice.events', event: 'InvoiceReceived', seconds: 0.02, failed: false });
    m.retryScheduled({ topic: 'finmesh.invoice.events', event: 'InvoiceApproved', code: 'TRANSIENT' });
    m.deadLettered({ topic: 'finmesh.invoice.events', deadLetterTopic: 'finmesh.invoice.events.dlt', event: 'InvoiceApproved', errorClass: 'PERMANENT' });
    m.eventsProduced({ topic: 'finmesh.invoice.events', event: 'InvoicePosted', count: 2 });

    const text = (await registry.exposition()).body;
    expect(exposedValue(text, 'finmesh_events_consumed_total', { event: 'InvoiceReceived', outcome: 'applied' })).toBe(3);
    expect(exposedValue(text, 'finmesh_events_consumed_total', { outcome: 'duplicate' })).toBe(1);
    expect(exposedValue(text, 'finmesh_event_handler_duration_seconds_count', { event: 'InvoiceReceived', outcome: 'ok' })).toBe(1);
    expect(exposedValue(text, 'finmesh_event_handler_duration_seconds_bucket', { le: '0.025', outcome: 'ok' })).toBe(1);
    expect(exposedValue(text, 'finmesh_event_retries_total', { code: 'TRANSIENT' })).toBe(1);
    expect(exposedValue(text, 'finmesh_dead_letters_total', { error_class: 'PERMANENT', event: 'InvoiceApproved' })).toBe(1);
    expect(exposedValue(text, 'finmesh_events_produced_total', { event: 'InvoicePosted' })).toBe(2);
  });
});
