import { randomUUID } from 'node:crypto';
import { mapCapturedInvoice, nameBasedId } from '@finmesh/adapters';
import { newEnvelope, topicNameFor, type FinmeshEventMap } from '@finmesh/contracts';
import { defaultDeadLetterTopic } from '@finmesh/messaging';
import { replayDeadLetters } from '@finmesh/ops';
import { postgresPoolOf } from '@finmesh/persistence';
import { eventually, testKafka } from '@finmesh/testing';
import {
  capturedInvoice,
  LEGAL_ENTITY,
  goodsReceipt,
  openInvoiceSyncTestBed,
  paymentConfirmed,
  paymentReleased,
  paymentVoided,
  purchaseOrderIssued,
  supplierBlocked,
  supplierUnblocked,
  supplierUpserted,
  type CapturedLineSpec,
  type InvoiceSyncTestBed,
  type PoLineSpec,
} from './testing/invoice-sync-test-bed';

// invoice-sync end to end on the real stack: canonical supplier/PO/receipt events on a private
// topic namespace, invoices through the HTTP API, postings into an ERP simulator on a free port.

jest.setTimeout(120_000);

let bed: InvoiceSyncTestBed;

beforeAll(async () => {
  bed = await openInvoiceSyncTestBed();
});

afterAll(async () => {
  await bed?.teardown();
});

interface Scenario {
  readonly supplierId: string;
  readonly supplierErpNumber: string;
  readonly purchaseOrderId: string;
  readonly poNumber: string;
}

/** A supplier and a PO, replicated into invoice-sync before the test goes on. */
async function givenSupplierAndPo(lines: readonly PoLineSpec[], opts: { blocked?: boolean; sites?: FinmeshEventMap['SupplierUpserted']['sites'] } = {}): Promise<Scenario> {
  const s: Scenario = {
    supplierId: randomUUID(),
    supplierErpNumber: `SUP-${randomUUID().slice(0, 8)}`,
    purchaseOrderId: randomUUID(),
    poNumber: `PO-${randomUUID().slice(0, 8)}`,
  };
  await bed.publish('SupplierUpserted', s.supplierId, supplierUpserted(s.supplierId, s.supplierErpNumber, opts.sites));
  if (opts.blocked) await bed.publish('SupplierBlocked', s.supplierId, supplierBlocked(s.supplierId));
  await bed.publish('PurchaseOrderIssued', s.purchaseOrderId, purchaseOrderIssued(s.purchaseOrderId, s.poNumber, s.supplierId, lines));
  await eventually('supplier and PO replicated', async () => {
    const rows = (await bed.ds.query(
      `SELECT (SELECT count(*) FROM purchase_orders WHERE purchase_order_id = $1)::int AS po,
              (SELECT count(*) FROM suppliers WHERE supplier_id = $2 AND ($3::boolean = false OR status = 'BLOCKED'))::int AS supplier`,
      [s.purchaseOrderId, s.supplierId, opts.blocked === true],
    )) as { po: number; supplier: number }[];
    return rows[0]?.po === 1 && rows[0]?.supplier === 1;
  });
  return s;
}

async function call(method: string, path: string, opts: { token?: string; body?: unknown; key?: string } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${bed.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(method === 'POST' ? { 'idempotency-key': opts.key ?? randomUUID() } : {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function submitInvoice(s: Scenario, invoiceNumber: string, lines: readonly CapturedLineSpec[], invoiceDate?: string): Promise<string> {
  const r = await call('POST', '/v1/ap/invoices', {
    token: await bed.token(['ap-platform'], 'capture-eu'),
    body: capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines, ...(invoiceDate ? { invoiceDate } : {}) }),
  });
  expect(r.status).toBe(202);
  // The status after invoice-sync's decision, taken in the capture's transaction.
  expect(['APPROVED', 'ON_HOLD', 'WAITING_FOR_RECEIPT', 'EXCEPTION']).toContain(r.body['status']);
  return r.body['invoiceId'] as string;
}

async function invoiceView(invoiceId: string): Promise<Record<string, unknown>> {
  return (await call('GET', `/v1/invoices/${invoiceId}`, { token: await bed.token(['ops']) })).body;
}

async function statusOf(invoiceId: string): Promise<string | undefined> {
  const rows = (await bed.ds.query('SELECT status FROM invoices WHERE invoice_id = $1', [invoiceId])) as { status: string }[];
  return rows[0]?.status;
}

async function waitForStatus(invoiceId: string, status: string, timeoutMs = 30_000): Promise<void> {
  await eventually(`invoice ${invoiceId} ${status} (is ${String(await statusOf(invoiceId))})`, async () => (await statusOf(invoiceId)) === status, timeoutMs);
}

function erpPostings(invoiceNumber: string) {
  return bed.erp.state.postings.all().filter((p) => p.InvoiceNumber === invoiceNumber);
}

async function armFault(fault: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${bed.erp.url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  expect(res.status).toBe(201);
}

/** Dead-lettered approvals of one invoice, planned (dry run) or replayed. */
async function replayPostings(invoiceId: string, dryRun: boolean) {
  const pool = postgresPoolOf(bed.ds);
  if (!pool) throw new Error('the test bed database is not initialised');
  const dltTopics = defaultDeadLetterTopic(topicNameFor('InvoiceApproved', bed.prefix));
  return replayDeadLetters({ kafka: testKafka(), pool, dltTopics, filter: { key: invoiceId }, dryRun, actor: 'ops-test', ledgerSchema: bed.schema, readTimeoutMs: 2_000 });
}

async function metricsText(): Promise<string> {
  return (await fetch(`${bed.url}/metrics`)).text();
}

/** How often the Fusion breaker (the posting sink's) opened, so far. */
async function breakerOpened(): Promise<number> {
  const line = (await metricsText()).split('\n').find((l) => l.startsWith('finmesh_delivery_breaker_transitions_total{') && l.includes('platform="fusion"') && l.includes('to="open"'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

const THREE_WAY_10_AT_100: PoLineSpec[] = [{ lineNumber: 1, quantity: '10', unitPrice: '100', matchType: 'THREE_WAY' }];
const TWO_WAY_10_AT_100: PoLineSpec[] = [{ lineNumber: 1, quantity: '10', unitPrice: '100', matchType: 'TWO_WAY' }];
const number = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

describe('invoice-sync on the real stack', () => {
  it('matches a clean three-way invoice, approves it automatically and posts it exactly once', async () => {
    const s = await givenSupplierAndPo(THREE_WAY_10_AT_100);
    await bed.publish('GoodsReceiptRecorded', s.purchaseOrderId, goodsReceipt(s.purchaseOrderId, s.supplierId, [{ poLineNumber: 1, quantity: '10' }]));
    await eventually('receipt replicated', async () => ((await bed.ds.query('SELECT 1 FROM goods_receipt_lines WHERE purchase_order_id = $1', [s.purchaseOrderId])) as unknown[]).length === 1);

    const invoiceNumber = number('INV');
    const invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '10', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'POSTED');

    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    const posting = erpPostings(invoiceNumber)[0]!;
    expect(posting.idempotencyKey).toBe(invoiceId);
    expect(posting.InvoiceAmount).toBe('1210.00');

    // "Posted" is not final: the read-back poll reports the ERP's validation of the invoice.
    await eventually('ERP validation read back', async () => (await bed.emitted(invoiceId)).some((e) => e.event === 'InvoiceErpValidationReported'));
    const events = await bed.emitted(invoiceId);
    expect(events.map((e) => e.event)).toEqual(['InvoiceReceived', 'InvoiceMatched', 'InvoiceApproved', 'InvoicePosted', 'InvoiceErpValidationReported']);
    expect(events[4]!.value).toMatchObject({ erpDocumentId: String(posting.InvoiceId), validationStatus: 'VALIDATED', holds: [] });
    expect(events[1]!.value).toMatchObject({ matchType: 'THREE_WAY', purchaseOrderId: s.purchaseOrderId, lineResults: [{ invoiceLineNumber: 1, receivedQuantity: '10.0000', withinTolerance: true }] });
    expect(events[2]!.value).toMatchObject({ mode: 'AUTO', approvedBy: 'invoice-sync', overriddenExceptionIds: [] });
    expect(events[3]!.value).toMatchObject({
      erpDocumentId: String(posting.InvoiceId),
      erpDocumentNumber: posting.AccountingDocumentNumber,
      postedAmount: { amount: '1210.0000', currency: 'EUR' },
    });
    // One flow: every follow-up carries the invoice's correlation id.
    const correlation = (events[0]!.value['envelope'] as { correlationId: string }).correlationId;
    expect(events.every((e) => (e.value['envelope'] as { correlationId: string }).correlationId === correlation)).toBe(true);

    const view = await invoiceView(invoiceId);
    expect(view).toMatchObject({ status: 'POSTED', posting: { erpDocumentId: String(posting.InvoiceId), attempts: [{ attempt: 1, outcome: 'POSTED' }] } });
  });

  it('reads the ERP validation back: a hold moves the invoice to ERP_HOLD, its release back to POSTED, a cancel in the ERP to CANCELLED', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '10', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'POSTED');
    const admin = async (path: string, body: unknown) => {
      const res = await fetch(`${bed.erp.url}/__admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as Record<string, unknown>;
    };
    // Fusion's validation places a quantity-received hold (the ERP's own matching).
    const placed = await admin('/holds', { invoiceNumber, holdName: 'Qty Rec', holdReason: 'Quantity billed exceeds quantity received' });
    await waitForStatus(invoiceId, 'ERP_HOLD');
    const heldReport = async () => (await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoiceErpValidationReported').map((e) => e.value);
    await eventually('hold reported', async () => (await heldReport()).some((v) => (v['holds'] as unknown[]).length === 1));
    expect((await heldReport()).find((v) => (v['holds'] as unknown[]).length === 1)).toMatchObject({ holds: [{ holdName: 'Qty Rec', holdReason: 'Quantity billed exceeds quantity received' }] });

    const holdId = (placed['hold'] as { HoldId: number }).HoldId;
    await admin(`/holds/${holdId}/release`, { releaseName: 'Quantity Received', releaseReason: 'Receipt entered' });
    await waitForStatus(invoiceId, 'POSTED');

    // Someone cancels the invoice in Fusion itself.
    const cancel = await fetch(`${bed.erp.url}/fscmRestApi/resources/11.13.18.05/invoices/action/cancelInvoice`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.oracle.adf.action+json', authorization: `Basic ${Buffer.from('finmesh:finmesh-dev').toString('base64')}` },
      body: JSON.stringify({ InvoiceNumber: invoiceNumber }),
    });
    expect(cancel.status).toBe(200);
    await waitForStatus(invoiceId, 'CANCELLED');
    const cancelled = (await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoiceCancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.value).toMatchObject({ invoiceId, origin: 'ERP', erpDocumentId: expect.any(String) });
  });

  it("posts to the supplier's pay site in the invoice's legal entity, and refuses to post to another entity's site", async () => {
    const site = (code: string, bu: string, pay = true) => ({ siteId: `id-${code}`, site: code, procurementBusinessUnit: bu, pay, purchasing: true, active: true });
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100, { sites: [site('ESSEN', 'DE Business Unit'), site('ROTTERDAM-PAY', 'NL Test Business Unit'), site('ROTTERDAM-BUY', 'NL Test Business Unit', false)] });
    const invoiceNumber = number('INV');
    const invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '1', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'POSTED');
    expect(erpPostings(invoiceNumber)[0]?.SupplierSite).toBe('ROTTERDAM-PAY');

    const elsewhere = await givenSupplierAndPo(TWO_WAY_10_AT_100, { sites: [site('ESSEN', 'DE Business Unit')] });
    const refused = await submitInvoice(elsewhere, number('INV'), [{ poLineNumber: 1, quantity: '1', unitPrice: '100' }]);
    await waitForStatus(refused, 'POSTING_FAILED');
    expect(await invoiceView(refused)).toMatchObject({ posting: { attempts: [{ outcome: 'NOT_SENT', erpCode: 'SUPPLIER_SITE_MISSING' }] } });
  });

  it('holds the invoice of a blocked supplier and processes it when the supplier is unblocked', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100, { blocked: true });
    const invoiceNumber = number('INV');
    const invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '10', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'ON_HOLD');
    const raised = (await bed.emitted(invoiceId)).find((e) => e.event === 'MatchExceptionRaised');
    expect(raised?.value).toMatchObject({ reasons: [expect.objectContaining({ code: 'SUPPLIER_BLOCKED' })] });
    expect(erpPostings(invoiceNumber)).toHaveLength(0);

    await bed.publish('SupplierUnblocked', s.supplierId, supplierUnblocked(s.supplierId));
    await waitForStatus(invoiceId, 'POSTED');
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    const view = await invoiceView(invoiceId);
    expect(view['exceptions']).toEqual([expect.objectContaining({ status: 'RESOLVED', kind: 'ON_HOLD', resolution: 'REVALIDATED' })]);
  });

  it('parks an invoice that arrives before its goods receipt and matches it when the receipt arrives', async () => {
    const s = await givenSupplierAndPo(THREE_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '10', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'WAITING_FOR_RECEIPT');
    expect((await bed.emitted(invoiceId)).find((e) => e.event === 'MatchExceptionRaised')?.value).toMatchObject({
      reasons: [expect.objectContaining({ code: 'NO_RECEIPT', lineNumber: 1 })],
    });

    await bed.publish('GoodsReceiptRecorded', s.purchaseOrderId, goodsReceipt(s.purchaseOrderId, s.supplierId, [{ poLineNumber: 1, quantity: '10' }]));
    await waitForStatus(invoiceId, 'POSTED');
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    // The ERP read-back report follows the posting whenever the next poll runs: not part of this flow's order.
    const kinds = (await bed.emitted(invoiceId)).map((e) => e.event).filter((e) => e !== 'InvoiceErpValidationReported');
    expect(kinds).toEqual(['InvoiceReceived', 'MatchExceptionRaised', 'InvoiceMatched', 'InvoiceApproved', 'InvoicePosted']);
  });

  it('accepts a price variance within tolerance and raises PRICE_VARIANCE with figures beyond it; an override-approve then posts', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    // 1 % above the PO price: within 1.5 % / 5.00 per unit (EMEA) and within the 1 % total tolerance.
    const within = await submitInvoice(s, number('INV'), [{ poLineNumber: 1, quantity: '5', unitPrice: '101' }]);
    await waitForStatus(within, 'POSTED');

    // 10 % above: beyond.
    const beyondNumber = number('INV');
    const beyond = await submitInvoice(s, beyondNumber, [{ poLineNumber: 1, quantity: '5', unitPrice: '110' }]);
    await waitForStatus(beyond, 'EXCEPTION');
    const raised = (await bed.emitted(beyond)).find((e) => e.event === 'MatchExceptionRaised')!.value;
    expect(raised['reasons']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'PRICE_VARIANCE', lineNumber: 1, expected: '100.000000', actual: '110.000000', variance: '10.000000', tolerance: '1.500000' }),
      ]),
    );
    expect(erpPostings(beyondNumber)).toHaveLength(0);

    // A finance approver overrides: InvoiceApproved OVERRIDE naming approver, reason and exception.
    const r = await call('POST', `/v1/invoices/${beyond}/resolution`, {
      token: await bed.token(['finance-approver'], 'jane.controller'),
      body: { action: 'override-approve', reason: 'price increase agreed by phone with purchasing' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'APPROVED', resolvedExceptionIds: [raised['exceptionId']] });
    await waitForStatus(beyond, 'POSTED');
    expect(erpPostings(beyondNumber)).toHaveLength(1);
    const approved = (await bed.emitted(beyond)).find((e) => e.event === 'InvoiceApproved')!.value;
    expect(approved).toMatchObject({
      mode: 'OVERRIDE',
      approvedBy: 'jane.controller',
      reason: 'price increase agreed by phone with purchasing',
      overriddenExceptionIds: [raised['exceptionId']],
    });

    // Resolving an invoice that is not in an exception state is refused.
    const again = await call('POST', `/v1/invoices/${beyond}/resolution`, {
      token: await bed.token(['finance-approver'], 'jane.controller'),
      body: { action: 'reject', reason: 'changed my mind' },
    });
    expect(again.status).toBe(409);

    // The audit trail tells the same story, with who, before/after and the causing event.
    const audit = (await bed.ds.query(
      `SELECT action, actor, before, after, causing_event_id FROM finmesh_audit.audit_log WHERE entity_type = 'invoice' AND entity_id = $1 ORDER BY id`,
      [beyond],
    )) as { action: string; actor: string; before: Record<string, unknown> | null; after: Record<string, unknown>; causing_event_id: string | null }[];
    expect(audit.map((a) => a.action)).toEqual(['invoice.received', 'invoice.exception', 'invoice.override_approved', 'invoice.posted']);
    const envelopeOf = (value: Record<string, unknown>) => value['envelope'] as { eventId: string };
    const received = (await bed.emitted(beyond)).find((e) => e.event === 'InvoiceReceived')!.value;
    expect(audit[0]).toMatchObject({ actor: 'capture-eu', before: null, after: { status: 'RECEIVED' }, causing_event_id: envelopeOf(received).eventId });
    expect(audit[1]).toMatchObject({ before: { status: 'RECEIVED' }, after: { status: 'EXCEPTION', reasonCodes: ['PRICE_VARIANCE'] }, causing_event_id: envelopeOf(received).eventId });
    expect(audit[1]!.actor).toMatch(/^service:invoice-sync/);
    expect(audit[2]).toMatchObject({
      actor: 'jane.controller',
      before: { status: 'EXCEPTION' },
      after: { status: 'APPROVED', approvalMode: 'OVERRIDE', reason: 'price increase agreed by phone with purchasing', overriddenExceptionIds: [raised['exceptionId']] },
      causing_event_id: envelopeOf(approved).eventId,
    });
    expect(audit[3]).toMatchObject({ before: { status: 'APPROVED' }, after: { status: 'POSTED' }, causing_event_id: envelopeOf(approved).eventId });
  });

  it('raises QTY_VARIANCE when more is invoiced than ordered', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceId = await submitInvoice(s, number('INV'), [{ poLineNumber: 1, quantity: '12', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'EXCEPTION');
    const raised = (await bed.emitted(invoiceId)).find((e) => e.event === 'MatchExceptionRaised')!.value;
    expect(raised['reasons']).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'QTY_VARIANCE', lineNumber: 1, expected: '10.0000', actual: '12.0000' })]));
  });

  it('flags a re-sent invoice as DUPLICATE_INVOICE and never posts it twice', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const first = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '4', unitPrice: '100' }]);
    await waitForStatus(first, 'POSTED');
    // The same invoice again, captured as another document with the number written differently.
    const second = await submitInvoice(s, ` ${invoiceNumber.toLowerCase()} `, [{ poLineNumber: 1, quantity: '4', unitPrice: '100' }]);
    await waitForStatus(second, 'EXCEPTION');
    const raised = (await bed.emitted(second)).find((e) => e.event === 'MatchExceptionRaised')!.value;
    expect(raised['reasons']).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'DUPLICATE_INVOICE' })]));
    await new Promise((r) => setTimeout(r, 500));
    expect(bed.erp.state.postings.all().filter((p) => p.SupplierNumber === s.supplierErpNumber)).toHaveLength(1);
  });

  it('records an ERP business rejection as InvoicePostingFailed with the ERP code, remediation OPEN', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    await armFault({ kind: 'business-rejection', code: 'AP_CLOSED_PERIOD', message: 'The accounting date is in a closed period.', invoiceNumber, times: 1 });
    const invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '1', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'POSTING_FAILED');
    const failed = (await bed.emitted(invoiceId)).find((e) => e.event === 'InvoicePostingFailed')!.value;
    expect(failed).toMatchObject({ failureClass: 'BUSINESS', erpCode: 'AP_CLOSED_PERIOD', attempts: 1, remediationStatus: 'OPEN' });
    expect(failed['erpMessage']).toMatch(/closed period/);
    expect(erpPostings(invoiceNumber)).toHaveLength(0);
  });

  it('rides out an ERP outage (two 5xx) and posts exactly once', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    await armFault({ kind: 'http-5xx', status: 503, invoiceNumber, times: 2 });
    const invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '2', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'POSTED');
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    const view = await invoiceView(invoiceId);
    expect((view['posting'] as { attempts: { outcome: string; httpStatus: number | null }[] }).attempts.map((a) => [a.outcome, a.httpStatus])).toEqual([
      ['TRANSIENT_FAILED', 503],
      ['TRANSIENT_FAILED', 503],
      ['POSTED', 201],
    ]);
    expect((await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoicePosted')).toHaveLength(1);
  });

  it('does not post again when the ERP posted but the answer was lost (timeout after processing)', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    await armFault({ kind: 'timeout', afterProcessing: true, invoiceNumber, times: 1 });
    const invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '3', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'POSTED');
    const postings = erpPostings(invoiceNumber);
    expect(postings).toHaveLength(1);
    expect(postings[0]!.outcome).toBe('timeout-after-processing');
    const view = await invoiceView(invoiceId);
    expect(view['posting']).toMatchObject({
      erpDocumentId: String(postings[0]!.InvoiceId),
      attempts: [expect.objectContaining({ outcome: 'TRANSIENT_FAILED', erpCode: 'TIMEOUT' }), expect.objectContaining({ outcome: 'FOUND_EXISTING' })],
    });
    // The read-back polls (every 200 ms) saw the ERP row during the 3 s the posting held it
    // without a recorded document; they waited for the posting instead of skipping the row.
    await eventually('ERP validation read back', async () => (await bed.emitted(invoiceId)).some((e) => e.event === 'InvoiceErpValidationReported'));
    const reported = (await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoiceErpValidationReported');
    expect(reported[0]!.value).toMatchObject({ erpDocumentId: String(postings[0]!.InvoiceId), validationStatus: 'VALIDATED' });
  });

  it('rides out a long ERP outage through the posting sink: the breaker opens and closes, nothing is dead-lettered, one posting', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const openedBefore = await breakerOpened();
    // More failures than the consumer's retry budget (5) and the breaker's threshold (5).
    await armFault({ kind: 'http-5xx', status: 503, invoiceNumber, times: 8 });
    const invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '2', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'POSTED');

    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    expect((await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoicePosted')).toHaveLength(1);
    const attempts = ((await invoiceView(invoiceId))['posting'] as { attempts: { outcome: string }[] }).attempts.map((a) => a.outcome);
    expect(attempts).toEqual([...Array(8).fill('TRANSIENT_FAILED'), 'POSTED']);
    // The breaker opened (the partition waited for its probes) and is closed again.
    expect(await breakerOpened()).toBeGreaterThan(openedBefore);
    expect(await metricsText()).toMatch(/finmesh_delivery_breaker_state\{[^}]*platform="fusion"[^}]*state="closed"[^}]*\} 1/);
    expect((await replayPostings(invoiceId, true)).planned).toHaveLength(0);
  });

  it('dead-letters the approval when the ERP refuses the credentials; a replay after they are restored posts it once', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    await fetch(`${bed.erp.url}/__admin/auth/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'finmesh' }) });
    let invoiceId: string;
    try {
      invoiceId = await submitInvoice(s, invoiceNumber, [{ poLineNumber: 1, quantity: '2', unitPrice: '100' }]);
      await eventually('approval dead-lettered', async () => (await replayPostings(invoiceId, true)).planned.length === 1, 60_000);
    } finally {
      await fetch(`${bed.erp.url}/__admin/auth/restore`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'finmesh' }) });
    }
    // Nothing posted, nothing decided: the invoice waits for the replay.
    expect(await statusOf(invoiceId)).toBe('APPROVED');
    expect(erpPostings(invoiceNumber)).toHaveLength(0);

    expect((await replayPostings(invoiceId, false)).replayed).toBe(1);
    await waitForStatus(invoiceId, 'POSTED');
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
  });

  it('refuses callers without a token (401) or the role (403), bad payloads and resolutions without a reason (422)', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const body = capturedInvoice({ invoiceNumber: number('INV'), supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: [{ poLineNumber: 1, quantity: '1', unitPrice: '100' }] });

    expect((await call('POST', '/v1/ap/invoices', { body })).status).toBe(401);
    expect((await call('POST', '/v1/ap/invoices', { body, token: await bed.token(['reporting-reader']) })).status).toBe(403);
    expect((await call('GET', `/v1/invoices/${randomUUID()}`, { token: await bed.token(['procurement-platform']) })).status).toBe(403);
    expect((await call('GET', `/v1/invoices/${randomUUID()}`, { token: await bed.token(['reporting-reader']) })).status).toBe(404);

    // The request schema first (formats), then the mapping (a chart of accounts it cannot resolve).
    const unmappable = { ...body, 'account-type': { name: 'XX99' } };
    const r = await call('POST', '/v1/ap/invoices', { body: { ...unmappable, currency: { code: 'euro' }, 'invoice-date': '18.03.2025' }, token: await bed.token(['ap-platform']) });
    expect(r.status).toBe(422);
    expect((r.body['problems'] as { path: string }[]).map((p) => p.path).sort()).toEqual(['currency.code', 'invoice-date']);
    const mapped = await call('POST', '/v1/ap/invoices', { body: unmappable, token: await bed.token(['ap-platform']) });
    expect(mapped.status).toBe(422);
    expect((mapped.body['problems'] as { path: string }[]).map((p) => p.path)).toContain('account-type.name');
    // Nothing written.
    expect((await bed.ds.query('SELECT 1 FROM invoices WHERE invoice_id = $1', [nameBasedId('invoice', String(body['id']))])).length).toBe(0);

    const invoiceId = await submitInvoice(s, number('INV'), [{ poLineNumber: 1, quantity: '20', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'EXCEPTION');
    const noReason = await call('POST', `/v1/invoices/${invoiceId}/resolution`, { token: await bed.token(['finance-approver']), body: { action: 'reject' } });
    expect(noReason).toMatchObject({ status: 422, body: { problems: [{ path: 'reason', reason: 'is required' }] } });
    const asAp = await call('POST', `/v1/invoices/${invoiceId}/resolution`, { token: await bed.token(['ap-platform']), body: { action: 'reject', reason: 'x' } });
    expect(asAp.status).toBe(403);
    const reject = await call('POST', `/v1/invoices/${invoiceId}/resolution`, { token: await bed.token(['finance-approver']), body: { action: 'reject', reason: 'not ordered' } });
    expect(reject).toMatchObject({ status: 200, body: { status: 'REJECTED' } });
  });

  it('follows payments: PARTIALLY_PAID, then PAID once the allocations reach the gross amount, counting a released-then-confirmed payment once', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceId = await submitInvoice(s, number('INV'), [{ poLineNumber: 1, quantity: '10', unitPrice: '100' }]); // gross 1210.00
    await waitForStatus(invoiceId, 'POSTED');
    const [p1, p2] = [randomUUID(), randomUUID()];
    await bed.publish('PaymentReleased', p1, paymentReleased(p1, s.supplierId, invoiceId, '500'));
    await waitForStatus(invoiceId, 'PARTIALLY_PAID');
    await bed.publish('PaymentConfirmed', p1, paymentConfirmed(p1, s.supplierId, invoiceId, '500'));
    await bed.publish('PaymentConfirmed', p2, paymentConfirmed(p2, s.supplierId, invoiceId, '710'));
    await waitForStatus(invoiceId, 'PAID');
    expect(await invoiceView(invoiceId)).toMatchObject({ status: 'PAID', settledAmount: '1210.0000' });
    // The ERP voids the second payment: what it settled is open again, and a late re-delivery
    // of its confirmation does not bring it back.
    await bed.publish('PaymentVoided', p2, paymentVoided(p2, s.supplierId, invoiceId, '710'));
    await waitForStatus(invoiceId, 'PARTIALLY_PAID');
    const late = paymentConfirmed(p2, s.supplierId, invoiceId, '710');
    await bed.publish('PaymentConfirmed', p2, late);
    await eventually('late confirmation consumed', async () => ((await bed.ds.query('SELECT 1 FROM finmesh_inbox WHERE event_id = $1', [late.envelope.eventId])) as unknown[]).length === 1);
    expect(await invoiceView(invoiceId)).toMatchObject({ status: 'PARTIALLY_PAID', settledAmount: '500.0000' });
  });

  it('parks a payment allocated to an invoice not posted yet: it settles nothing until the invoice is posted', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceId = await submitInvoice(s, number('INV'), [{ poLineNumber: 1, quantity: '10', unitPrice: '110' }]); // PRICE_VARIANCE, gross 1331.00
    await waitForStatus(invoiceId, 'EXCEPTION');
    const p = randomUUID();
    const released = paymentReleased(p, s.supplierId, invoiceId, '1331');
    await bed.publish('PaymentReleased', p, released);
    await eventually('payment consumed', async () => ((await bed.ds.query('SELECT 1 FROM finmesh_inbox WHERE event_id = $1', [released.envelope.eventId])) as unknown[]).length >= 1);
    expect(await invoiceView(invoiceId)).toMatchObject({ status: 'EXCEPTION', settledAmount: '0.0000' });

    const r = await call('POST', `/v1/invoices/${invoiceId}/resolution`, {
      token: await bed.token(['finance-approver'], 'jane.controller'),
      body: { action: 'override-approve', reason: 'price agreed' },
    });
    expect(r.status).toBe(200);
    // Posted: the parked allocation applies now.
    await waitForStatus(invoiceId, 'PAID');
    expect(await invoiceView(invoiceId)).toMatchObject({ status: 'PAID', settledAmount: '1331.0000' });
  });

  it('refuses a capture or a resolution for a legal entity outside the token\'s scope with 403, and writes nothing', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const body = capturedInvoice({ invoiceNumber: number('INV'), supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: [{ poLineNumber: 1, quantity: '1', unitPrice: '100' }] });
    const r = await call('POST', '/v1/ap/invoices', { token: await bed.token(['ap-platform'], 'capture-de', ['DE01']), body });
    expect(r.status).toBe(403);
    expect(r.body['detail']).toBe(`client 'capture-de' may act on legal entities [DE01]; invoice ${String(body['invoice-number'])} belongs to legal entity ${LEGAL_ENTITY.code}`);
    expect((await bed.ds.query('SELECT 1 FROM invoices WHERE invoice_id = $1', [nameBasedId('invoice', String(body['id']))])).length).toBe(0);

    const invoiceId = await submitInvoice(s, number('INV'), [{ poLineNumber: 1, quantity: '20', unitPrice: '100' }]);
    await waitForStatus(invoiceId, 'EXCEPTION');
    const elsewhere = await call('POST', `/v1/invoices/${invoiceId}/resolution`, { token: await bed.token(['finance-approver'], 'approver-de', ['DE01']), body: { action: 'override-approve', reason: 'agreed' } });
    expect(elsewhere.status).toBe(403);
    expect(await invoiceView(invoiceId)).toMatchObject({ status: 'EXCEPTION' });
    // Reading it is out of scope too: to that caller the invoice is not there.
    expect((await call('GET', `/v1/invoices/${invoiceId}`, { token: await bed.token(['finance-approver'], 'approver-de', ['DE01']) })).status).toBe(404);
    const own = await call('POST', `/v1/invoices/${invoiceId}/resolution`, { token: await bed.token(['finance-approver'], 'approver-nl', [LEGAL_ENTITY.code]), body: { action: 'reject', reason: 'not ordered' } });
    expect(own).toMatchObject({ status: 200, body: { status: 'REJECTED' } });
  });

  it('refuses a capture that breaks the request schema with 422 naming each field, never echoing the value, and writes nothing', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const body = capturedInvoice({ invoiceNumber: 'N'.repeat(300), supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: [{ poLineNumber: 1, quantity: '1', unitPrice: '100' }] });
    body['tax-rate'] = '-21';
    (body['currency'] as Record<string, unknown>)['code'] = 'ZZZ';
    const r = await call('POST', '/v1/ap/invoices', { token: await bed.token(['ap-platform'], 'capture-eu'), body });
    expect(r.status).toBe(422);
    expect(r.body['problems']).toEqual(
      expect.arrayContaining([
        { path: 'invoice-number', reason: 'must be at most 40 characters long' },
        { path: 'tax-rate', reason: 'must be a non-negative decimal number' },
        { path: 'currency.code', reason: 'must be an active ISO 4217 currency code' },
      ]),
    );
    expect(JSON.stringify(r.body)).not.toContain('N'.repeat(41));
    const stored = (await bed.ds.query(`SELECT count(*)::int AS n FROM invoices WHERE invoice->>'supplierInvoiceNumber' = $1`, ['N'.repeat(300)])) as { n: number }[];
    expect(stored[0]!.n).toBe(0);
  });

  it('captures, publishes and validates an invoice produced to the AP ingress topic', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const mapped = mapCapturedInvoice(capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: [{ poLineNumber: 1, quantity: '1', unitPrice: '100' }] }), {
      ids: (k) => (k.kind === 'supplier' ? s.supplierId : k.kind === 'purchase-order' ? s.purchaseOrderId : nameBasedId(k.kind, k.key)),
      legalEntities: () => ({ code: 'NL02', country: 'NL', name: 'finmesh Test B.V.' }),
    });
    const invoice = { envelope: newEnvelope('InvoiceReceived', { sourcePlatform: 'AP_AUTOMATION', legalEntity: mapped.legalEntity }), ...mapped.payload };
    await bed.publish('InvoiceReceived', invoice.invoiceId, invoice, 'ap');
    await waitForStatus(invoice.invoiceId, 'POSTED');
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    // invoice-sync's own InvoiceReceived on the canonical topic, traced to the platform's record.
    const published = (await bed.emitted(invoice.invoiceId)).filter((e) => e.event === 'InvoiceReceived');
    expect(published).toHaveLength(1);
    expect((published[0]!.value['envelope'] as { causationId: string }).causationId).toBe(invoice.envelope.eventId);
  });
});
