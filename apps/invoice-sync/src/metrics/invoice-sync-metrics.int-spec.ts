import { randomUUID } from 'node:crypto';
import { newEnvelope, topicNameFor } from '@finmesh/contracts';
import { defaultDeadLetterTopic } from '@finmesh/messaging';
import { eventually, exposedValue, isExposed, parseExposition, scrapeMetrics, type ExposedSample } from '@finmesh/testing';
import {
  capturedInvoice,
  LEGAL_ENTITY,
  openInvoiceSyncTestBed,
  purchaseOrderIssued,
  supplierUpserted,
  type InvoiceSyncTestBed,
} from '../testing/invoice-sync-test-bed';

// GET /metrics of a real invoice-sync while events flow through Kafka: the technical metrics
// (consumed, produced, handler latency, retries, dead letters, DLT depth, lag, outbox backlog)
// and the invoice KPIs (postings by outcome, received → posted latency, open exceptions) move.

jest.setTimeout(120_000);

let bed: InvoiceSyncTestBed;

beforeAll(async () => {
  bed = await openInvoiceSyncTestBed();
});

afterAll(async () => {
  await bed?.teardown();
});

async function scrape(): Promise<ExposedSample[]> {
  return parseExposition(await scrapeMetrics(bed.url));
}

/** Each invoice of the test has its own quantity: equal amounts would be held as suspected duplicates. */
async function submitInvoice(supplierErpNumber: string, poNumber: string, quantity: string, unitPrice: string, invoiceNumber = `INV-${randomUUID().slice(0, 8)}`): Promise<string> {
  const res = await fetch(`${bed.url}/v1/ap/invoices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await bed.token(['ap-platform'])}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify(capturedInvoice({ invoiceNumber, supplierErpNumber, poNumber, lines: [{ poLineNumber: 1, quantity, unitPrice }] })),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { invoiceId: string }).invoiceId;
}

async function statusOf(invoiceId: string): Promise<string | undefined> {
  return ((await bed.ds.query('SELECT status FROM invoices WHERE invoice_id = $1', [invoiceId])) as { status: string }[])[0]?.status;
}

async function armFault(fault: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${bed.erp.url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  expect(res.status).toBe(201);
}

describe('invoice-sync /metrics', () => {
  it('is public Prometheus text with the service label and process metrics', async () => {
    const res = await fetch(`${bed.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(isExposed(text, 'finmesh_process_resident_memory_bytes')).toBe(true);
    expect(parseExposition(text).every((s) => s.labels['service'] !== undefined)).toBe(true);
  });

  it('echoes the X-Correlation-Id of a request', async () => {
    const res = await fetch(`${bed.url}/health/live`, { headers: { 'X-Correlation-Id': 'corr-metrics-1' } });
    expect(res.headers.get('x-correlation-id')).toBe('corr-metrics-1');
  });

  it('moves the technical metrics and the invoice KPIs when events flow', async () => {
    const before = await scrape();
    const supplierId = randomUUID();
    const supplierErpNumber = `SUP-${randomUUID().slice(0, 8)}`;
    const purchaseOrderId = randomUUID();
    const poNumber = `PO-${randomUUID().slice(0, 8)}`;

    // Replicas: one SupplierUpserted delivered twice (same event id: the inbox skips the second).
    const supplier = supplierUpserted(supplierId, supplierErpNumber);
    await bed.publish('SupplierUpserted', supplierId, supplier);
    await bed.publish('SupplierUpserted', supplierId, supplier);
    await bed.publish('PurchaseOrderIssued', purchaseOrderId, purchaseOrderIssued(purchaseOrderId, poNumber, supplierId, [{ lineNumber: 1, quantity: '10', unitPrice: '100', matchType: 'TWO_WAY' }]));
    await eventually('replicas', async () => ((await bed.ds.query('SELECT 1 FROM purchase_orders WHERE purchase_order_id = $1', [purchaseOrderId])) as unknown[]).length === 1);

    // Posted after one ERP 503 (a transient failure and a retry), a business rejection, and a price exception.
    const postedNumber = `INV-${randomUUID().slice(0, 8)}`;
    await armFault({ kind: 'http-5xx', status: 503, invoiceNumber: postedNumber, times: 1 });
    const posted = await submitInvoice(supplierErpNumber, poNumber, '1', '100', postedNumber);
    const rejectedNumber = `INV-${randomUUID().slice(0, 8)}`;
    await armFault({ kind: 'business-rejection', code: 'AP_CLOSED_PERIOD', message: 'closed period', invoiceNumber: rejectedNumber, times: 1 });
    const rejected = await submitInvoice(supplierErpNumber, poNumber, '2', '100', rejectedNumber);
    const exception = await submitInvoice(supplierErpNumber, poNumber, '3', '130');
    // An approval of an invoice invoice-sync never received: dead-lettered at once.
    await bed.publish('InvoiceApproved', `unknown-${randomUUID()}`, {
      envelope: newEnvelope('InvoiceApproved', { sourcePlatform: 'FINMESH', legalEntity: LEGAL_ENTITY }),
      invoiceId: `unknown-${randomUUID()}`,
      approvedBy: 'someone',
      mode: 'AUTO',
      reason: null,
      overriddenExceptionIds: [],
    });
    const settled = async () => [await statusOf(posted), await statusOf(rejected), await statusOf(exception)];
    await eventually('invoices settled', async () => (await settled()).join() === 'POSTED,POSTING_FAILED,EXCEPTION').catch(async (err: Error) => {
      throw new Error(`${err.message}; statuses: ${(await settled()).join()}`);
    });

    let after: ExposedSample[] = [];
    const moved = (name: string, labels: Record<string, string> = {}) => exposedValue(after, name, labels) - exposedValue(before, name, labels);
    await eventually('metrics moved (gauges are cached for 5 s)', async () => {
      after = await scrape();
      return (
        exposedValue(after, 'finmesh_invoice_open_exceptions', { reason: 'PRICE_VARIANCE' }) >= 1 &&
        exposedValue(after, 'finmesh_dead_letter_topic_depth') >= 1 &&
        moved('finmesh_events_produced_total', { event: 'InvoicePosted' }) === 1 &&
        exposedValue(after, 'finmesh_outbox_backlog') === 0
      );
    }).catch((err: Error) => {
      const gauges = ['finmesh_invoice_open_exceptions', 'finmesh_dead_letter_topic_depth', 'finmesh_events_produced_total', 'finmesh_outbox_backlog'];
      throw new Error(`${err.message}; ${JSON.stringify(after.filter((x) => gauges.includes(x.name)))}`);
    });

    // Messaging runtime.
    expect(moved('finmesh_events_consumed_total', { event: 'SupplierUpserted', outcome: 'applied' })).toBe(1);
    expect(moved('finmesh_events_consumed_total', { event: 'SupplierUpserted', outcome: 'duplicate' })).toBe(1);
    expect(moved('finmesh_events_consumed_total', { event: 'InvoiceApproved', outcome: 'dead_lettered' })).toBe(1);
    expect(moved('finmesh_events_produced_total', { event: 'InvoiceReceived' })).toBe(3);
    expect(moved('finmesh_event_handler_duration_seconds_count', { event: 'PurchaseOrderIssued', outcome: 'ok' })).toBe(1);
    expect(moved('finmesh_event_handler_duration_seconds_count', { event: 'InvoiceApproved', outcome: 'error' })).toBeGreaterThanOrEqual(2);
    // The posting sink throws the platform's own error class for a 5xx.
    expect(moved('finmesh_event_retries_total', { event: 'InvoiceApproved', code: 'PLATFORM_UNAVAILABLE' })).toBe(1);
    expect(moved('finmesh_dead_letters_total', { event: 'InvoiceApproved', error_class: 'PERMANENT' })).toBe(1);
    expect(exposedValue(after, 'finmesh_dead_letter_topic_depth', { topic: defaultDeadLetterTopic(topicNameFor('InvoiceApproved', bed.prefix)) })).toBeGreaterThanOrEqual(1);
    expect(after.some((s) => s.name === 'finmesh_consumer_lag' && s.labels['topic']?.startsWith(bed.prefix))).toBe(true);
    expect(isExposed(await scrapeMetrics(bed.url), 'finmesh_outbox_oldest_pending_age_seconds')).toBe(true);

    // Invoice KPIs.
    expect(moved('finmesh_invoice_postings_total', { outcome: 'posted' })).toBe(1);
    expect(moved('finmesh_invoice_postings_total', { outcome: 'transient_failure' })).toBe(1);
    expect(moved('finmesh_invoice_postings_total', { outcome: 'business_failure' })).toBe(1);
    expect(moved('finmesh_invoice_sync_latency_seconds_count')).toBe(1);
    expect(moved('finmesh_invoice_sync_latency_seconds_sum')).toBeGreaterThan(0);
    expect(exposedValue(after, 'finmesh_invoice_open_exception_age_seconds', { reason: 'PRICE_VARIANCE' })).toBeGreaterThanOrEqual(0);
    expect(isExposed(await scrapeMetrics(bed.url), 'finmesh_invoice_open_exception_age_seconds', { reason: 'PRICE_VARIANCE' })).toBe(true);
  });
});
