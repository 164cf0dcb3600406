import { randomUUID } from 'node:crypto';
import { deterministicEventId, newEnvelope, type InvoiceCancelled } from '@finmesh/contracts';
import { eventually } from '@finmesh/testing';
import {
  capturedInvoice,
  goodsReceipt,
  LEGAL_ENTITY,
  openInvoiceSyncTestBed,
  paymentReleased,
  purchaseOrderIssued,
  supplierUpserted,
  type CapturedLineSpec,
  type InvoiceSyncTestBed,
  type PoLineSpec,
} from './testing/invoice-sync-test-bed';

// The invoice lifecycle around posting, on the real stack (Kafka, registry, PostgreSQL, an ERP
// simulator on a free port that refuses PO-matched lines for POs it does not hold, as Fusion does):
// the PO-matching rule (PO-matched only when the ERP holds the PO, else the PO line's
// distribution), voids in AP (cancelled in the ERP once), corrections before approval, and
// corrections after posting (a cancellation plus a new invoice).

jest.setTimeout(120_000);

let bed: InvoiceSyncTestBed;

beforeAll(async () => {
  bed = await openInvoiceSyncTestBed({ purchaseOrderCheck: 'enforce' });
});

afterAll(async () => {
  await bed?.teardown();
});

const FUSION = '/fscmRestApi/resources/11.13.18.05';
const BASIC = `Basic ${Buffer.from('finmesh:finmesh-dev').toString('base64')}`;
const TWO_WAY_10_AT_100: PoLineSpec[] = [{ lineNumber: 1, quantity: '10', unitPrice: '100', matchType: 'TWO_WAY' }];
const THREE_WAY_10_AT_100: PoLineSpec[] = [{ lineNumber: 1, quantity: '10', unitPrice: '100', matchType: 'THREE_WAY' }];
const TEN_AT_100: CapturedLineSpec[] = [{ poLineNumber: 1, quantity: '10', unitPrice: '100' }];
const number = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

interface Scenario {
  readonly supplierId: string;
  readonly supplierErpNumber: string;
  readonly purchaseOrderId: string;
  readonly poNumber: string;
}

async function givenSupplierAndPo(lines: readonly PoLineSpec[]): Promise<Scenario> {
  const s: Scenario = { supplierId: randomUUID(), supplierErpNumber: number('SUP'), purchaseOrderId: randomUUID(), poNumber: number('PO') };
  await bed.publish('SupplierUpserted', s.supplierId, supplierUpserted(s.supplierId, s.supplierErpNumber));
  await bed.publish('PurchaseOrderIssued', s.purchaseOrderId, purchaseOrderIssued(s.purchaseOrderId, s.poNumber, s.supplierId, lines));
  await eventually('supplier and PO replicated', async () => {
    const rows = (await bed.ds.query(
      `SELECT (SELECT count(*) FROM purchase_orders WHERE purchase_order_id = $1)::int AS po, (SELECT count(*) FROM suppliers WHERE supplier_id = $2)::int AS supplier`,
      [s.purchaseOrderId, s.supplierId],
    )) as { po: number; supplier: number }[];
    return rows[0]?.po === 1 && rows[0]?.supplier === 1;
  });
  return s;
}

/** The PO created in the ERP as po-sync would: a draft purchase order, then submitted (Open). */
async function givenPoInErp(s: Scenario): Promise<void> {
  const draft = await fusion('POST', '/draftPurchaseOrders', {
    OrderNumber: s.poNumber,
    ProcurementBU: LEGAL_ENTITY.name,
    SupplierNumber: s.supplierErpNumber,
    SupplierSite: 'MAIN',
    CurrencyCode: 'EUR',
    lines: [{ LineNumber: 1, LineType: 'Goods', ItemDescription: 'Item 1', Quantity: '10', UOM: 'EA', Price: '100' }],
  });
  expect(draft.status).toBe(201);
  expect((await fusion('POST', `/draftPurchaseOrders/${String(draft.body['POHeaderId'])}/action/submit`, {})).status).toBe(200);
}

async function fusion(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${bed.erp.url}${FUSION}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: BASIC },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function capture(payload: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${bed.url}/v1/ap/invoices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await bed.token(['ap-platform'], 'capture-eu')}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function statusOf(invoiceId: string): Promise<string | undefined> {
  return ((await bed.ds.query('SELECT status FROM invoices WHERE invoice_id = $1', [invoiceId])) as { status: string }[])[0]?.status;
}

async function waitForStatus(invoiceId: string, status: string): Promise<void> {
  await eventually(`invoice ${invoiceId} ${status} (is ${String(await statusOf(invoiceId))})`, async () => (await statusOf(invoiceId)) === status, 30_000);
}

function erpPostings(invoiceNumber: string) {
  return bed.erp.state.postings.all().filter((p) => p.InvoiceNumber === invoiceNumber);
}

/** The simulator's call log (`/__admin/calls`), filtered by path. */
async function erpCalls(path: string): Promise<{ method: string; path: string; query: string; status: number }[]> {
  const res = await fetch(`${bed.erp.url}/__admin/calls?path=${encodeURIComponent(path)}`);
  return ((await res.json()) as { items: { method: string; path: string; query: string; status: number }[] }).items;
}

type PostedLine = { PurchaseOrderNumber?: string; PurchaseOrderLineNumber?: number; PurchaseOrderScheduleLineNumber?: number; invoiceDistributions?: { DistributionCombination: string }[] };
const postedLines = (invoiceNumber: string) => (erpPostings(invoiceNumber)[0]!.requestBody['invoiceLines'] as PostedLine[]);

describe('PO matching: PO-matched only when the ERP holds the PO', () => {
  it('posts a line without accounting with its PO line distribution when the ERP lacks the PO', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    // The replica keeps the PO line's accounting (PurchaseOrderLine costCenter CC100, glAccount 4410).
    expect(await bed.ds.query('SELECT cost_center_code, gl_account FROM purchase_order_lines WHERE purchase_order_id = $1', [s.purchaseOrderId])).toEqual([
      { cost_center_code: 'CC100', gl_account: '4410' },
    ]);
    const invoiceNumber = number('INV');
    const r = await capture(capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100, withoutAccounting: true }));
    expect(r.status).toBe(202);
    const invoiceId = r.body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');

    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    const [line] = postedLines(invoiceNumber);
    expect(line).not.toHaveProperty('PurchaseOrderNumber');
    expect(line).not.toHaveProperty('PurchaseOrderLineNumber');
    expect(line!.invoiceDistributions).toEqual([expect.objectContaining({ DistributionCombination: `${LEGAL_ENTITY.code}-CC100-4410`, DistributionAmount: '1000.00' })]);
    expect(erpPostings(invoiceNumber)[0]!.requestBody).not.toHaveProperty('PurchaseOrderNumber');
    // The ERP was asked for the PO before posting, through the authenticated client.
    const lookups = (await erpCalls('/purchaseOrders')).filter((c) => c.query.includes(s.poNumber));
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    expect(lookups.every((c) => c.method === 'GET' && c.status === 200)).toBe(true);
  });

  it('posts PO-matched, without distributions, exactly once when the ERP holds the PO', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    await givenPoInErp(s);
    const invoiceNumber = number('INV');
    const r = await capture(capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100, withoutAccounting: true }));
    const invoiceId = r.body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');

    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    expect(erpPostings(invoiceNumber)[0]!.requestBody['PurchaseOrderNumber']).toBe(s.poNumber);
    const [line] = postedLines(invoiceNumber);
    expect(line).toMatchObject({ PurchaseOrderNumber: s.poNumber, PurchaseOrderLineNumber: 1, PurchaseOrderScheduleLineNumber: 1 });
    expect(line).not.toHaveProperty('invoiceDistributions');
    const events = (await bed.emitted(invoiceId)).map((e) => e.event);
    expect(events.filter((e) => e === 'InvoicePosted')).toHaveLength(1);
  });

  it('treats an unanswered PO lookup as transient: nothing is posted until the ERP answers, then once', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    await givenPoInErp(s);
    const fault = await fetch(`${bed.erp.url}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'http-5xx', status: 503, resource: 'purchaseOrders', method: 'GET', times: 2 }),
    });
    expect(fault.status).toBe(201);
    const invoiceNumber = number('INV');
    const r = await capture(capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100 }));
    const invoiceId = r.body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');

    const lookups = (await erpCalls('/purchaseOrders')).filter((c) => c.query.includes(s.poNumber));
    expect(lookups.map((c) => c.status)).toEqual([503, 503, 200]);
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    expect(postedLines(invoiceNumber)[0]).toMatchObject({ PurchaseOrderNumber: s.poNumber, PurchaseOrderLineNumber: 1 });
    // The failed lookups left no attempt in the journal: the one attempt is the post.
    expect(await bed.ds.query('SELECT outcome FROM erp_posting_attempts WHERE invoice_id = $1', [invoiceId])).toEqual([{ outcome: 'POSTED' }]);
  });
});

describe('an invoice voided in AP', () => {
  it('after posting: CANCELLED with InvoiceCancelled (AP_PLATFORM) and cancelled in the ERP exactly once, also on repeats and replays', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const original = capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100 });
    const invoiceId = (await capture(original)).body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');
    const erpInvoiceId = String(erpPostings(invoiceNumber)[0]!.InvoiceId);
    const cancelsBefore = (await erpCalls('/invoices/action/cancelInvoice')).length;

    const voidedAt = new Date(Date.parse(original['updated-at'] as string) + 60_000);
    const voided = { ...original, status: 'voided', 'updated-at': voidedAt.toISOString() };
    const r = await capture(voided);
    expect(r).toEqual({ status: 202, body: { invoiceId, status: 'CANCELLED' } });
    expect(await statusOf(invoiceId)).toBe('CANCELLED');

    await eventually('cancelled in the ERP', async () => erpPostings(invoiceNumber)[0]!.ValidationStatus === 'Canceled');
    await eventually('ERP cancellation recorded', async () => ((await bed.ds.query(`SELECT 1 FROM erp_cancellations WHERE invoice_id = $1 AND outcome = 'CANCELLED'`, [invoiceId])) as unknown[]).length === 1);
    const cancels = await erpCalls('/invoices/action/cancelInvoice');
    expect(cancels).toHaveLength(cancelsBefore + 1);
    expect(cancels.at(-1)).toMatchObject({ method: 'POST', status: 200 });

    const cancelled = (await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoiceCancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.value).toMatchObject({ invoiceId, origin: 'AP_PLATFORM', erpDocumentId: erpInvoiceId, cancelledAt: voidedAt });

    // The same void again (another Idempotency-Key): answered as is, nothing new.
    expect(await capture(voided)).toEqual({ status: 202, body: { invoiceId, status: 'CANCELLED' } });
    // A replay of the InvoiceCancelled under a new event id (as a DLT replay would bring it): the
    // recorded ERP cancellation stops a second call.
    const replay: InvoiceCancelled = {
      ...(cancelled[0]!.value as unknown as InvoiceCancelled),
      envelope: newEnvelope('InvoiceCancelled', { sourcePlatform: 'AP_AUTOMATION', legalEntity: LEGAL_ENTITY, eventId: randomUUID() }),
    };
    await bed.publish('InvoiceCancelled', invoiceId, replay);
    await eventually('replay consumed', async () => ((await bed.ds.query('SELECT 1 FROM finmesh_inbox WHERE event_id = $1', [replay.envelope.eventId])) as unknown[]).length === 1);
    // The read-back poll sees the ERP's cancellation and, the invoice being CANCELLED already, raises nothing.
    await eventually('ERP cancellation read back', async () => ((await bed.ds.query(`SELECT erp_validation_status FROM invoices WHERE invoice_id = $1`, [invoiceId])) as { erp_validation_status: string }[])[0]?.erp_validation_status === 'CANCELED');

    expect(await erpCalls('/invoices/action/cancelInvoice')).toHaveLength(cancelsBefore + 1);
    expect((await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoiceCancelled')).toHaveLength(1);
    expect(await statusOf(invoiceId)).toBe('CANCELLED');
  });

  it('after posting, refused by the ERP (it holds a payment finmesh has not seen yet): recorded REFUSED with the ERP code, not retried', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const original = capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100 });
    const invoiceId = (await capture(original)).body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');
    const erpInvoiceId = erpPostings(invoiceNumber)[0]!.InvoiceId;
    // A payment run in Fusion pays it (not delivered to finmesh: no payment-sync in this bed).
    const run = await fetch(`${bed.erp.url}/__admin/payment-runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payments: [{ supplierNumber: s.supplierErpNumber, currency: 'EUR', method: 'EFT', paymentDate: '2025-04-01', invoices: [{ invoiceNumber, erpInvoiceId, amountPaid: '1210.00' }] }] }),
    });
    expect(run.status).toBeLessThan(300);
    const cancelsBefore = (await erpCalls('/invoices/action/cancelInvoice')).length;

    const r = await capture({ ...original, status: 'voided', 'updated-at': new Date(Date.parse(original['updated-at'] as string) + 1_000).toISOString() });
    expect(r).toEqual({ status: 202, body: { invoiceId, status: 'CANCELLED' } });
    await eventually('ERP refusal recorded', async () => ((await bed.ds.query('SELECT 1 FROM erp_cancellations WHERE invoice_id = $1', [invoiceId])) as unknown[]).length === 1);
    const view = await fetch(`${bed.url}/v1/invoices/${invoiceId}`, { headers: { authorization: `Bearer ${await bed.token(['ops'])}` } });
    const posting = ((await view.json()) as { posting: { cancellation: Record<string, unknown> } }).posting;
    expect(posting.cancellation).toMatchObject({ outcome: 'REFUSED', httpStatus: 400, erpCode: 'AP_INVOICE_HAS_PAYMENTS', erpDocumentId: String(erpInvoiceId) });
    expect(await erpCalls('/invoices/action/cancelInvoice')).toHaveLength(cancelsBefore + 1);
    expect(erpPostings(invoiceNumber)[0]!.ValidationStatus).not.toBe('Canceled');
  });

  it('before posting: leaves the flow (no matching or posting afterwards, nothing sent to the ERP)', async () => {
    const s = await givenSupplierAndPo(THREE_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const original = capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100 });
    const invoiceId = (await capture(original)).body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'WAITING_FOR_RECEIPT');
    const cancelsBefore = (await erpCalls('/invoices/action/cancelInvoice')).length;

    const r = await capture({ ...original, status: 'voided', 'updated-at': new Date(Date.parse(original['updated-at'] as string) + 1_000).toISOString() });
    expect(r).toEqual({ status: 202, body: { invoiceId, status: 'CANCELLED' } });
    const cancelled = (await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoiceCancelled');
    expect(cancelled.map((e) => e.value)).toEqual([expect.objectContaining({ origin: 'AP_PLATFORM', erpDocumentId: null })]);

    // The receipt it waited for arrives: it is not matched, approved or posted.
    const receipt = goodsReceipt(s.purchaseOrderId, s.supplierId, [{ poLineNumber: 1, quantity: '10' }]);
    await bed.publish('GoodsReceiptRecorded', s.purchaseOrderId, receipt);
    await eventually('receipt consumed', async () => ((await bed.ds.query('SELECT 1 FROM finmesh_inbox WHERE event_id = $1', [receipt.envelope.eventId])) as unknown[]).length === 1);
    await eventually('InvoiceCancelled consumed', async () => ((await bed.ds.query('SELECT 1 FROM finmesh_inbox WHERE event_id = $1', [(cancelled[0]!.value['envelope'] as { eventId: string }).eventId])) as unknown[]).length === 1);
    expect(await statusOf(invoiceId)).toBe('CANCELLED');
    expect((await bed.emitted(invoiceId)).map((e) => e.event)).toEqual(['InvoiceReceived', 'MatchExceptionRaised', 'InvoiceCancelled']);
    expect(erpPostings(invoiceNumber)).toHaveLength(0);
    expect(await erpCalls('/invoices/action/cancelInvoice')).toHaveLength(cancelsBefore);
    // Its open exception (waiting for receipt) is closed with the cancellation.
    expect(await bed.ds.query(`SELECT status, resolution FROM invoice_exceptions WHERE invoice_id = $1`, [invoiceId])).toEqual([{ status: 'RESOLVED', resolution: 'CANCELLED' }]);
  });

  it('of a paid invoice is refused with 409 (the ERP cancels no invoice with payments); nothing changes', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const original = capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100 });
    const invoiceId = (await capture(original)).body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');
    const paymentId = randomUUID();
    await bed.publish('PaymentReleased', paymentId, paymentReleased(paymentId, s.supplierId, invoiceId, '1210.00'));
    await waitForStatus(invoiceId, 'PAID');
    const cancelsBefore = (await erpCalls('/invoices/action/cancelInvoice')).length;

    const r = await capture({ ...original, status: 'voided', 'updated-at': new Date(Date.parse(original['updated-at'] as string) + 1_000).toISOString() });
    expect(r.status).toBe(409);
    expect(String(r.body['message'])).toContain('void the payments in the ERP first');
    expect(await statusOf(invoiceId)).toBe('PAID');
    expect((await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoiceCancelled')).toHaveLength(0);
    expect(await erpCalls('/invoices/action/cancelInvoice')).toHaveLength(cancelsBefore);
  });

  it('of an invoice finmesh never received answers 404; an unreadable one 422; nothing is written', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const unknown = capturedInvoice({ invoiceNumber: number('INV'), supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100, status: 'voided' });
    const r = await capture(unknown);
    expect(r.status).toBe(404);
    expect(String(r.body['message'])).toContain('never received');
    const bad = await capture({ ...unknown, 'updated-at': 'yesterday' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('updated-at');
  });
});

describe('a correction in AP', () => {
  it('before approval replaces the stored version and is matched again', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const first = capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: [{ poLineNumber: 1, quantity: '10', unitPrice: '120' }], lockVersion: 3 });
    const invoiceId = (await capture(first)).body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'EXCEPTION');

    // An older version arriving late changes nothing.
    const stale = capturedInvoice({ ...opts(first, s), lines: TEN_AT_100, updatedAt: new Date(Date.parse(first['updated-at'] as string) - 60_000), lockVersion: 2 });
    expect(await capture(stale)).toEqual({ status: 202, body: { invoiceId, status: 'EXCEPTION' } });

    // The clerk corrects the price in Coupa: same invoice id, newer updated-at and lock version.
    const correctedAt = new Date(Date.parse(first['updated-at'] as string) + 60_000);
    const corrected = capturedInvoice({ ...opts(first, s), lines: TEN_AT_100, updatedAt: correctedAt, lockVersion: 4 });
    // Decided in the capture's transaction: the corrected price matches.
    expect(await capture(corrected)).toEqual({ status: 202, body: { invoiceId, status: 'APPROVED' } });
    await waitForStatus(invoiceId, 'POSTED');
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    expect(erpPostings(invoiceNumber)[0]!.InvoiceAmount).toBe('1210.00');

    // Without the ERP read-back reports, which come and go with the poll.
    const lifecycleEvents = async () => (await bed.emitted(invoiceId)).filter((e) => e.event !== 'InvoiceErpValidationReported');
    const events = await lifecycleEvents();
    expect(events.map((e) => e.event)).toEqual(['InvoiceReceived', 'MatchExceptionRaised', 'InvoiceReceived', 'InvoiceMatched', 'InvoiceApproved', 'InvoicePosted']);
    const received = events.filter((e) => e.event === 'InvoiceReceived').map((e) => e.value as { envelope: { eventId: string; correlationId: string }; totals: { gross: { amount: string } } });
    expect(received[0]!.envelope.eventId).toBe(deterministicEventId('ap-capture', invoiceId, `${new Date(first['updated-at'] as string).toISOString()}#3`, 'InvoiceReceived'));
    expect(received[1]!.envelope.eventId).toBe(deterministicEventId('ap-capture', invoiceId, `${correctedAt.toISOString()}#4`, 'InvoiceReceived'));
    expect(received[1]!.envelope.correlationId).toBe(received[0]!.envelope.correlationId);
    expect(received.map((r) => r.totals.gross.amount)).toEqual(['1452.0000', '1210.0000']);
    expect(await bed.ds.query(`SELECT status, resolution FROM invoice_exceptions WHERE invoice_id = $1`, [invoiceId])).toEqual([{ status: 'RESOLVED', resolution: 'SUPERSEDED' }]);

    // The same correction again: one invoice, answered with its status, nothing new.
    expect(await capture(corrected)).toEqual({ status: 202, body: { invoiceId, status: 'POSTED' } });
    expect((await lifecycleEvents()).length).toBe(events.length);
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
  });

  it('after posting: the posted invoice is cancelled in the ERP once and the correction posted once as a new invoice; a repeat changes nothing', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const first = capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100, lockVersion: 3 });
    const invoiceId = (await capture(first)).body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');
    const oldErpInvoiceId = String(erpPostings(invoiceNumber)[0]!.InvoiceId);
    const cancelsBefore = (await erpCalls('/invoices/action/cancelInvoice')).length;

    // The clerk corrects the quantity in Coupa after the invoice was posted: 9 instead of 10.
    const correctedAt = new Date(Date.parse(first['updated-at'] as string) + 60_000);
    const versionText = `${correctedAt.toISOString()}#4`;
    const corrected = capturedInvoice({ ...opts(first, s), lines: [{ poLineNumber: 1, quantity: '9', unitPrice: '100' }], updatedAt: correctedAt, lockVersion: 4 });
    const r = await capture(corrected);
    expect(r.status).toBe(202);
    const replacementId = r.body['invoiceId'] as string;
    expect(replacementId).not.toBe(invoiceId);
    expect(r.body['status']).toBe('WAITING_FOR_ERP_CANCEL');
    // In the request's transaction: the old invoice CANCELLED by finmesh, with the superseding version as reason.
    const [old] = (await bed.ds.query('SELECT status, cancellation_origin, cancellation_reason FROM invoices WHERE invoice_id = $1', [invoiceId])) as {
      status: string;
      cancellation_origin: string;
      cancellation_reason: string;
    }[];
    expect(old).toMatchObject({ status: 'CANCELLED', cancellation_origin: 'FINMESH' });
    expect(old!.cancellation_reason).toContain(versionText);
    expect(await bed.ds.query('SELECT invoice_id FROM invoices WHERE supersedes_invoice_id = $1', [invoiceId])).toEqual([{ invoice_id: replacementId }]);

    await waitForStatus(replacementId, 'POSTED');
    // Exactly one cancel, of the old document; the replacement posted once, with the corrected amounts, under the suffixed number.
    const cancels = await erpCalls('/invoices/action/cancelInvoice');
    expect(cancels).toHaveLength(cancelsBefore + 1);
    expect(cancels.at(-1)).toMatchObject({ method: 'POST', status: 200 });
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    expect(erpPostings(invoiceNumber)[0]!.ValidationStatus).toBe('Canceled');
    expect(String(erpPostings(invoiceNumber)[0]!.InvoiceId)).toBe(oldErpInvoiceId);
    const replacementPostings = erpPostings(`${invoiceNumber}-R1`);
    expect(replacementPostings).toHaveLength(1);
    expect(replacementPostings[0]!.InvoiceAmount).toBe('1089.00');
    expect(replacementPostings[0]!.ValidationStatus).not.toBe('Canceled');
    expect(await bed.ds.query(`SELECT outcome, erp_document_id FROM erp_cancellations WHERE invoice_id = $1`, [invoiceId])).toEqual([{ outcome: 'CANCELLED', erp_document_id: oldErpInvoiceId }]);

    const cancelled = (await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoiceCancelled');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.value).toMatchObject({ invoiceId, origin: 'FINMESH', erpDocumentId: oldErpInvoiceId, cancelledAt: correctedAt });
    expect(String(cancelled[0]!.value['reason'])).toContain(versionText);
    const replacementEvents = async () => (await bed.emitted(replacementId)).filter((e) => e.event !== 'InvoiceErpValidationReported');
    const events = await replacementEvents();
    expect(events.map((e) => e.event)).toEqual(['InvoiceReceived', 'InvoiceMatched', 'InvoiceApproved', 'InvoicePosted']);
    const received = events[0]!.value as { envelope: { eventId: string }; invoiceId: string; supplierInvoiceNumber: string; totals: { gross: { amount: string } } };
    expect(received.envelope.eventId).toBe(deterministicEventId('ap-capture', replacementId, versionText, 'InvoiceReceived'));
    expect(received).toMatchObject({ invoiceId: replacementId, supplierInvoiceNumber: invoiceNumber, totals: { gross: { amount: '1089.0000' } } });
    expect(events[3]!.value).toMatchObject({ invoiceId: replacementId, postedAmount: { amount: '1089.0000', currency: 'EUR' } });

    // The views link the two.
    const view = async (id: string) => (await (await fetch(`${bed.url}/v1/invoices/${id}`, { headers: { authorization: `Bearer ${await bed.token(['ops'])}` } })).json()) as Record<string, Record<string, unknown>>;
    expect((await view(replacementId))['correction']).toMatchObject({ erpInvoiceNumber: `${invoiceNumber}-R1`, supersedesInvoiceId: invoiceId, supersededCancellation: { outcome: 'CANCELLED' }, supersededByInvoiceId: null });
    expect((await view(invoiceId))['correction']).toMatchObject({ erpInvoiceNumber: invoiceNumber, supersedesInvoiceId: null, supersededByInvoiceId: replacementId });

    // The same corrected capture delivered again (another Idempotency-Key): answered with the replacement, nothing new.
    const oldEvents = (await bed.emitted(invoiceId)).filter((e) => e.event !== 'InvoiceErpValidationReported').length;
    expect(await capture(corrected)).toEqual({ status: 202, body: { invoiceId: replacementId, status: 'POSTED' } });
    expect(await bed.ds.query('SELECT count(*)::int AS n FROM invoices WHERE supersedes_invoice_id = $1', [invoiceId])).toEqual([{ n: 1 }]);
    expect((await replacementEvents()).length).toBe(events.length);
    expect((await bed.emitted(invoiceId)).filter((e) => e.event !== 'InvoiceErpValidationReported')).toHaveLength(oldEvents);
    expect(await erpCalls('/invoices/action/cancelInvoice')).toHaveLength(cancelsBefore + 1);
    expect(erpPostings(`${invoiceNumber}-R1`)).toHaveLength(1);
    expect(await statusOf(invoiceId)).toBe('CANCELLED');
  });

  it('on ERP hold (read back from Fusion): superseded the same way; the replacement is posted once under the suffixed number', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const first = capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100, lockVersion: 1 });
    const invoiceId = (await capture(first)).body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');
    const hold = await fetch(`${bed.erp.url}/__admin/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invoiceNumber, holdName: 'Price', holdReason: 'Invoice price exceeds PO price' }),
    });
    expect(hold.status).toBeLessThan(300);
    await waitForStatus(invoiceId, 'ERP_HOLD');
    const cancelsBefore = (await erpCalls('/invoices/action/cancelInvoice')).length;

    const r = await capture(capturedInvoice({ ...opts(first, s), lines: [{ poLineNumber: 1, quantity: '9', unitPrice: '100' }], updatedAt: new Date(Date.parse(first['updated-at'] as string) + 60_000), lockVersion: 2 }));
    expect(r.body['status']).toBe('WAITING_FOR_ERP_CANCEL');
    const replacementId = r.body['invoiceId'] as string;
    await waitForStatus(replacementId, 'POSTED');
    expect(await statusOf(invoiceId)).toBe('CANCELLED');
    expect(await erpCalls('/invoices/action/cancelInvoice')).toHaveLength(cancelsBefore + 1);
    expect(erpPostings(invoiceNumber).map((p) => p.ValidationStatus)).toEqual(['Canceled']);
    expect(erpPostings(`${invoiceNumber}-R1`).map((p) => p.InvoiceAmount)).toEqual(['1089.00']);
  });

  it('after posting, when the ERP refuses the cancel: the replacement stays waiting with the refusal in its view; nothing is posted twice', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const first = capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100, lockVersion: 1 });
    const invoiceId = (await capture(first)).body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');
    const erpInvoiceId = erpPostings(invoiceNumber)[0]!.InvoiceId;
    // A payment run in Fusion pays it (not delivered to finmesh: no payment-sync in this bed).
    const run = await fetch(`${bed.erp.url}/__admin/payment-runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payments: [{ supplierNumber: s.supplierErpNumber, currency: 'EUR', method: 'EFT', paymentDate: '2025-04-01', invoices: [{ invoiceNumber, erpInvoiceId, amountPaid: '1210.00' }] }] }),
    });
    expect(run.status).toBeLessThan(300);

    const correctedAt = new Date(Date.parse(first['updated-at'] as string) + 60_000);
    const r = await capture(capturedInvoice({ ...opts(first, s), lines: [{ poLineNumber: 1, quantity: '9', unitPrice: '100' }], updatedAt: correctedAt, lockVersion: 2 }));
    expect(r.body['status']).toBe('WAITING_FOR_ERP_CANCEL');
    const replacementId = r.body['invoiceId'] as string;
    const receivedEventId = deterministicEventId('ap-capture', replacementId, `${correctedAt.toISOString()}#2`, 'InvoiceReceived');
    await eventually('ERP refusal recorded', async () => ((await bed.ds.query(`SELECT 1 FROM erp_cancellations WHERE invoice_id = $1 AND outcome = 'REFUSED'`, [invoiceId])) as unknown[]).length === 1);
    // Decided in the capture's transaction (invoice-sync does not consume its own InvoiceReceived).
    const replacementEvents = (await bed.emitted(replacementId)).filter((e) => e.event === 'InvoiceReceived');
    expect(replacementEvents.map((e) => (e.value['envelope'] as { eventId: string }).eventId)).toEqual([receivedEventId]);

    expect(await statusOf(replacementId)).toBe('WAITING_FOR_ERP_CANCEL');
    const view = await fetch(`${bed.url}/v1/invoices/${replacementId}`, { headers: { authorization: `Bearer ${await bed.token(['ops'])}` } });
    const correction = ((await view.json()) as { correction: Record<string, unknown> }).correction;
    expect(correction).toMatchObject({ supersedesInvoiceId: invoiceId, supersededCancellation: { outcome: 'REFUSED', erpCode: 'AP_INVOICE_HAS_PAYMENTS', erpDocumentId: String(erpInvoiceId) } });
    expect(erpPostings(`${invoiceNumber}-R1`)).toHaveLength(0);
    expect(erpPostings(invoiceNumber)).toHaveLength(1);
    expect(erpPostings(invoiceNumber)[0]!.ValidationStatus).not.toBe('Canceled');
    expect((await bed.emitted(replacementId)).map((e) => e.event)).toEqual(['InvoiceReceived']);
  });

  it('of a paid invoice is still refused with 409 (a credit memo, not handled); nothing changes', async () => {
    const s = await givenSupplierAndPo(TWO_WAY_10_AT_100);
    const invoiceNumber = number('INV');
    const first = capturedInvoice({ invoiceNumber, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, lines: TEN_AT_100, lockVersion: 1 });
    const invoiceId = (await capture(first)).body['invoiceId'] as string;
    await waitForStatus(invoiceId, 'POSTED');
    const paymentId = randomUUID();
    await bed.publish('PaymentReleased', paymentId, paymentReleased(paymentId, s.supplierId, invoiceId, '1210.00'));
    await waitForStatus(invoiceId, 'PAID');
    const cancelsBefore = (await erpCalls('/invoices/action/cancelInvoice')).length;

    const r = await capture(capturedInvoice({ ...opts(first, s), lines: [{ poLineNumber: 1, quantity: '9', unitPrice: '100' }], updatedAt: new Date(Date.parse(first['updated-at'] as string) + 60_000), lockVersion: 2 }));
    expect(r.status).toBe(409);
    expect(String(r.body['message'])).toContain('needs a credit memo');
    expect(await statusOf(invoiceId)).toBe('PAID');
    expect(await bed.ds.query('SELECT count(*)::int AS n FROM invoices WHERE supersedes_invoice_id = $1', [invoiceId])).toEqual([{ n: 0 }]);
    expect((await bed.emitted(invoiceId)).filter((e) => e.event === 'InvoiceCancelled')).toHaveLength(0);
    expect(await erpCalls('/invoices/action/cancelInvoice')).toHaveLength(cancelsBefore);
    expect(erpPostings(`${invoiceNumber}-R1`)).toHaveLength(0);
  });
});

/** The capture options that keep a new version the same Coupa invoice. */
function opts(first: Record<string, unknown>, s: Scenario) {
  return { invoiceNumber: first['invoice-number'] as string, supplierErpNumber: s.supplierErpNumber, poNumber: s.poNumber, coupaId: first['id'] as number };
}
