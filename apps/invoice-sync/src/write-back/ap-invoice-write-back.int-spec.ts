import { randomUUID } from 'node:crypto';
import { AP_CONNECTION, platformClient, readPlatformConnection } from '@finmesh/connectors';
import { apConvergence } from '@finmesh/ops';
import { eventually } from '@finmesh/testing';
import {
  capturedInvoice,
  openInvoiceSyncTestBed,
  paymentConfirmed,
  paymentVoided,
  purchaseOrderIssued,
  supplierUpserted,
  type CapturedLineSpec,
  type InvoiceSyncTestBed,
  type PoLineSpec,
} from '../testing/invoice-sync-test-bed';
import { AP_INVOICE_FIELDS } from './ap-invoice-update';

// The AP lifecycle write-back on the real stack (Kafka, registry, PostgreSQL, an ERP simulator and
// an AP simulator on free ports): each invoice captured from AP learns there what finmesh, the
// ERP and the bank did with it, once, and the comparator sees a dropped update.

jest.setTimeout(120_000);

let bed: InvoiceSyncTestBed;
type Rec = Record<string, unknown>;

beforeAll(async () => {
  bed = await openInvoiceSyncTestBed({ ap: true });
});

afterAll(async () => {
  await bed?.teardown();
});

const TWO_WAY_10_AT_100: PoLineSpec[] = [{ lineNumber: 1, quantity: '10', unitPrice: '100', matchType: 'TWO_WAY' }];
const number = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const ap = () => bed.ap!;
const apClient = () =>
  platformClient(
    readPlatformConnection(
      { FINMESH_AP_BASE_URL: ap().url, FINMESH_AP_TOKEN_URL: `${ap().url}/oauth2/token`, FINMESH_AP_CLIENT_ID: 'finmesh', FINMESH_AP_CLIENT_SECRET: 'finmesh-ap-simulator-secret' },
      AP_CONNECTION,
    ).settings!,
  );

/** A supplier and PO in finmesh, an invoice in AP (as AP holds it) captured into finmesh; returns both ids. */
async function givenCapturedInvoice(lines: readonly CapturedLineSpec[]): Promise<{ invoiceId: string; apId: number; invoiceNumber: string; supplierId: string }> {
  const supplierId = randomUUID();
  const supplierErpNumber = number('SUP');
  const purchaseOrderId = randomUUID();
  const poNumber = number('PO');
  await bed.publish('SupplierUpserted', supplierId, supplierUpserted(supplierId, supplierErpNumber));
  await bed.publish('PurchaseOrderIssued', purchaseOrderId, purchaseOrderIssued(purchaseOrderId, poNumber, supplierId, TWO_WAY_10_AT_100));
  await eventually('supplier and PO replicated', async () => {
    const rows = (await bed.ds.query(`SELECT (SELECT count(*) FROM purchase_orders WHERE purchase_order_id = $1)::int + (SELECT count(*) FROM suppliers WHERE supplier_id = $2)::int AS n`, [
      purchaseOrderId,
      supplierId,
    ])) as { n: number }[];
    return rows[0]?.n === 2;
  });
  const invoiceNumber = number('INV');
  const seeded = await admin('POST', '/invoices', capturedInvoice({ invoiceNumber, supplierErpNumber, poNumber, lines }));
  const res = await fetch(`${bed.url}/v1/ap/invoices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await bed.token(['ap-platform'], 'capture-eu')}`, 'idempotency-key': randomUUID() },
    body: JSON.stringify(seeded),
  });
  expect(res.status).toBeLessThan(300);
  return { invoiceId: String(((await res.json()) as Rec)['invoiceId']), apId: Number(seeded['id']), invoiceNumber, supplierId };
}

async function admin(method: string, path: string, body?: unknown): Promise<Rec> {
  const res = await fetch(`${ap().url}/__admin${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return (text === '' ? {} : JSON.parse(text)) as Rec;
}

const apInvoice = (id: number) => ap().state.invoices.get(id) as Rec;
const fields = (id: number) => (apInvoice(id)['custom-fields'] ?? {}) as Rec;
const comments = (id: number) => ap().state.comments.all().filter((c) => c['commentable-id'] === id).map((c) => String(c['comments']));

async function apCalls(route: string): Promise<number> {
  const calls = (await admin('GET', `/calls?route=${encodeURIComponent(route)}`)) as { items: { status: number }[] };
  return calls.items.filter((c) => c.status > 0 && c.status < 300).length;
}

async function erpNumberOf(invoiceId: string): Promise<string> {
  const posted = (await bed.emitted(invoiceId)).find((e) => e.event === 'InvoicePosted');
  return String(posted?.value['erpDocumentNumber'] ?? posted?.value['erpDocumentId']);
}

it('tells AP matched, approved (through its approval API), posted with the ERP number and paid, each once, and AP converges', async () => {
  const { invoiceId, apId, invoiceNumber, supplierId } = await givenCapturedInvoice([{ poLineNumber: 1, quantity: '10', unitPrice: '100' }]);
  await eventually('AP sees the invoice posted', async () => fields(apId)[AP_INVOICE_FIELDS.status] === 'posted', 30_000);
  const erpNumber = await erpNumberOf(invoiceId);
  expect(apInvoice(apId)['status']).toBe('approved');
  expect(fields(apId)[AP_INVOICE_FIELDS.erpInvoiceNumber]).toBe(erpNumber);

  // A partial payment, then the rest; the second one's answer is lost once (applied, never heard):
  // the re-delivery finds the payment by its notes and records nothing twice.
  await bed.publish('PaymentConfirmed', 'pay-1', paymentConfirmed(`pay-1-${invoiceId}`, supplierId, invoiceId, '210.00'));
  await eventually('AP sees the invoice partially paid', async () => fields(apId)[AP_INVOICE_FIELDS.paymentStatus] === 'partially-paid', 20_000);
  await admin('POST', '/faults', { kind: 'lost-response', route: 'PUT /api/invoices/:id' });
  await bed.publish('PaymentConfirmed', 'pay-2', paymentConfirmed(`pay-2-${invoiceId}`, supplierId, invoiceId, '1000.00'));
  await eventually('AP sees the invoice paid', async () => fields(apId)[AP_INVOICE_FIELDS.paymentStatus] === 'paid', 30_000);

  const invoice = apInvoice(apId);
  expect(invoice['paid']).toBe(true);
  expect((invoice['payments'] as Rec[]).map((p) => p['amount-paid'])).toEqual(['210.0000', '1000.0000']);
  expect(await apCalls('PUT /api/invoices/:id/bypass_approvals')).toBe(1);
  expect(
    await apConvergence(apClient(), {
      invoices: new Map([
        [invoiceNumber, { status: 'approved', paid: 'true', [AP_INVOICE_FIELDS.status]: 'posted', [AP_INVOICE_FIELDS.paymentStatus]: 'paid', [AP_INVOICE_FIELDS.erpInvoiceNumber]: erpNumber }],
      ]),
    }),
  ).toEqual({ converged: true, differences: [] });
});

it('withdraws a voided payment: AP is partially paid again, with a comment', async () => {
  const { invoiceId, apId, supplierId } = await givenCapturedInvoice([{ poLineNumber: 1, quantity: '10', unitPrice: '100' }]);
  await eventually('AP sees the invoice posted', async () => fields(apId)[AP_INVOICE_FIELDS.status] === 'posted', 30_000);
  await bed.publish('PaymentConfirmed', 'pay-a', paymentConfirmed(`pay-a-${invoiceId}`, supplierId, invoiceId, '210.00'));
  await bed.publish('PaymentConfirmed', 'pay-b', paymentConfirmed(`pay-b-${invoiceId}`, supplierId, invoiceId, '1000.00'));
  await eventually('AP sees the invoice paid', async () => apInvoice(apId)['paid'] === true, 30_000);
  await bed.publish('PaymentVoided', 'pay-b', paymentVoided(`pay-b-${invoiceId}`, supplierId, invoiceId, '1000.00'));
  await eventually('AP sees the void', async () => fields(apId)[AP_INVOICE_FIELDS.paymentStatus] === 'partially-paid', 30_000);
  expect(apInvoice(apId)['paid']).toBe(false);
  expect(comments(apId).filter((c) => c.includes('voided in the ERP'))).toHaveLength(1);
});

it('tells AP an exception with its reasons and figures, as status and one comment', async () => {
  // 10 % over the PO price: outside the unit price tolerance (1.5 % / 5.00).
  const { apId } = await givenCapturedInvoice([{ poLineNumber: 1, quantity: '10', unitPrice: '110' }]);
  await eventually('AP sees the exception', async () => fields(apId)[AP_INVOICE_FIELDS.status] === 'exception', 30_000);
  const reason = String(fields(apId)[AP_INVOICE_FIELDS.reason]);
  expect(reason).toMatch(/PRICE/);
  expect(reason).toMatch(/100\.0000|110\.0000/);
  expect(comments(apId)).toHaveLength(1);
  expect(comments(apId)[0]).toContain(reason.slice(0, 40));
  expect(apInvoice(apId)['status']).toBe('pending_approval');
});

it('shows a status update the AP platform dropped as a difference in the comparator', async () => {
  // Every invoice update PUT is answered 200 and lost for a while: the posted status and ERP number never land.
  await admin('POST', '/faults', { kind: 'drop', route: 'PUT /api/invoices/:id', times: 50 });
  const { invoiceId, apId, invoiceNumber } = await givenCapturedInvoice([{ poLineNumber: 1, quantity: '10', unitPrice: '100' }]);
  await eventually('finmesh delivered the posted status', async () => {
    const rows = (await bed.ds.query(`SELECT count(*)::int AS n FROM finmesh_delivery_ledger WHERE sink = 'ap:invoice-status' AND natural_key = $1 AND status = 'delivered'`, [String(apId)])) as { n: number }[];
    return (rows[0]?.n ?? 0) >= 3;
  }, 30_000);
  await admin('DELETE', '/faults');
  const erpNumber = await erpNumberOf(invoiceId);
  const view = await apConvergence(apClient(), { invoices: new Map([[invoiceNumber, { [AP_INVOICE_FIELDS.status]: 'posted', [AP_INVOICE_FIELDS.erpInvoiceNumber]: erpNumber }]]) });
  expect(view.converged).toBe(false);
  expect(view.differences).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ platform: 'ap', entity: 'invoice', key: invoiceNumber, kind: 'mismatch', field: AP_INVOICE_FIELDS.erpInvoiceNumber, expected: erpNumber, actual: null }),
    ]),
  );
});
