import { mapCapturedInvoice, mapCoupaPurchaseOrderIssued, nameBasedIds } from '@finmesh/adapters';
import { formatCoupaTime } from './clock';
import { startProcurementSimulator, type ProcurementSimulator } from './server';
import { admin, api, coupaOrder, token } from './testing/simulator-client';

type Rec = Record<string, unknown>;

describe('procurement simulator: resources, query filters, paging and the exported flag', () => {
  let sim: ProcurementSimulator;
  let coupa: ReturnType<typeof api>;
  let now = Date.parse('2025-03-03T08:00:00Z');
  const tick = (seconds = 1) => (now += seconds * 1000);
  const stamp = () => formatCoupaTime(now);

  beforeAll(async () => {
    sim = await startProcurementSimulator({ now: () => now, rateLimit: false });
    coupa = api(sim.url, await token(sim.url));
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await admin(sim.url).post('/reset');
  });

  const createOrder = async (poNumber: string): Promise<Rec> => {
    const r = await admin(sim.url).post('/purchase_orders', coupaOrder(poNumber));
    expect(r.status).toBe(201);
    return r.body as Rec;
  };
  const unexported = async (resource = 'purchase_orders') => ((await coupa.get(`/api/${resource}?exported=false`)).body as Rec[]).map((r) => r['id']);

  it('runs the exported-flag cycle: fetch unexported, mark each exported in its own PUT, fetch again', async () => {
    const createdAt = stamp();
    const [a, b, c] = [await createOrder('PO-A'), await createOrder('PO-B'), await createOrder('PO-C')];
    expect(a).toMatchObject({ status: 'issued', version: 1, 'internal-revision': 1, exported: false, 'last-exported-at': null, 'updated-at': createdAt });
    expect((a['order-lines'] as Rec[]).map((l) => l['line-num'])).toEqual(['1', '2']);
    expect(await unexported()).toEqual([a['id'], b['id'], c['id']]);
    tick();
    const marked = await coupa.put(`/api/purchase_orders/${String(a['id'])}?exported=true`);
    expect(marked).toMatchObject({ status: 200, body: { id: a['id'], exported: true, 'last-exported-at': stamp(), 'updated-at': createdAt } });
    const withBody = await coupa.put(`/api/purchase_orders/${String(b['id'])}?fields=${encodeURIComponent('["id","exported"]')}`, { exported: true, status: 'cancelled' });
    expect(withBody.body).toEqual({ id: b['id'], exported: true });
    expect((await coupa.get(`/api/purchase_orders/${String(b['id'])}`)).body).toMatchObject({ status: 'issued' });
    expect(await unexported()).toEqual([c['id']]);
    expect(((await coupa.get('/api/purchase_orders?exported=true')).body as Rec[]).map((r) => r['po-number'])).toEqual(['PO-A', 'PO-B']);
    expect((await coupa.put(`/api/purchase_orders/${String(c['id'])}`, { status: 'closed' })).status).toBe(400);
  });

  it('resets exported on a new PO version, not on an internal edit, and on cancel; internal-revision counts both', async () => {
    const po = await createOrder('PO-REV');
    const createdAt = stamp();
    const id = String(po['id']);
    await coupa.put(`/api/purchase_orders/${id}?exported=true`);
    tick();
    const internal = await admin(sim.url).put(`/purchase_orders/${id}`, { 'ship-to-attention': 'Dock 4' });
    expect(internal.body).toMatchObject({ version: 1, 'internal-revision': 2, exported: true, 'updated-at': stamp() });
    expect(await unexported()).toEqual([]);
    expect(((await coupa.get(`/api/purchase_orders?updated-at[gt]=${encodeURIComponent(createdAt)}`)).body as Rec[]).map((r) => r['id'])).toEqual([po['id']]);
    tick();
    const resent = await admin(sim.url).put(`/purchase_orders/${id}`, { version: 2, 'order-lines': [(po['order-lines'] as Rec[])[0]] });
    expect(resent.body).toMatchObject({ version: 2, 'internal-revision': 3, 'change-type': 'revision', exported: false });
    expect(await unexported()).toEqual([po['id']]);
    // What the simulator serves maps as finmesh's revision: internal-revision.
    const served = (await coupa.get(`/api/purchase_orders/${id}`)).body;
    expect(mapCoupaPurchaseOrderIssued(served, { ids: nameBasedIds, legalEntities: () => ({ code: 'DE01', country: 'DE', name: null }) }).payload).toMatchObject({ revision: 3, lines: [{ lineNumber: 1 }] });
    await coupa.put(`/api/purchase_orders/${id}?exported=true`);
    const cancelled = await coupa.put(`/api/purchase_orders/${id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', version: 3, 'internal-revision': 4, exported: false });
    expect((await coupa.put(`/api/purchase_orders/${id}/close`)).status).toBe(422);
  });

  it('pages by offset in pages of at most 50, in id order, and answers [] past the end', async () => {
    for (let i = 0; i < 120; i += 1) await admin(sim.url).post('/purchase_orders', coupaOrder(`PO-P${String(i).padStart(3, '0')}`, 1));
    const page = async (query: string) => (await coupa.get(`/api/purchase_orders?${query}`)).body as Rec[];
    const first = await page('exported=false');
    expect(first).toHaveLength(50);
    expect((await page('exported=false&limit=500')).length).toBe(50);
    const second = await page('exported=false&offset=50');
    const third = await page('exported=false&offset=100');
    expect(third).toHaveLength(20);
    expect(await page('exported=false&offset=120')).toEqual([]);
    const ids = [...first, ...second, ...third].map((r) => r['id'] as number);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect((await page('limit=5&order_by=id&dir=desc')).map((r) => r['po-number'])).toEqual(['PO-P119', 'PO-P118', 'PO-P117', 'PO-P116', 'PO-P115']);
  });

  it("filters with Coupa's operators, through associations and collections", async () => {
    await createOrder('PO-F1');
    tick(10);
    const between = formatCoupaTime(now - 5_000);
    await createOrder('PO-F2');
    await admin(sim.url).put('/purchase_orders/4001', { supplier: { id: 9, name: 'Other', number: '2000' }, status: 'buyer_hold' });
    const numbers = async (query: string) => ((await coupa.get(`/api/purchase_orders?${query}`)).body as Rec[]).map((r) => r['po-number']);
    expect(await numbers('supplier[number]=2000')).toEqual(['PO-F2']);
    expect(await numbers('supplier_id=9')).toEqual(['PO-F2']);
    expect(await numbers('status[in]=issued,cancelled')).toEqual(['PO-F1']);
    expect(await numbers('status[not_in]=issued')).toEqual(['PO-F2']);
    expect(await numbers('po-number[starts_with]=PO-F')).toEqual(['PO-F1', 'PO-F2']);
    expect(await numbers(`order-lines[account][code]=DE01-4410-CC100&updated_at[gt_or_eq]=${between.replace('+00:00', 'Z')}`)).toEqual(['PO-F2']);
    // An unencoded "+" arrives as a space; it is read back as the offset sign.
    expect(await numbers(`updated-at[lt]=${between}`)).toEqual(['PO-F1']);
    expect(await numbers('no-such-field=1')).toEqual([]);
    expect((await coupa.get('/api/purchase_orders?offset=-1')).status).toBe(400);
    expect((await coupa.get('/api/purchase_orders/99')).status).toBe(404);
  });

  it('keeps one invoice per id: a correction is a new version and resets exported; the adapter maps what it serves', async () => {
    const created = await admin(sim.url).post('/invoices', {
      'invoice-number': 'INV-1',
      'invoice-date': '2025-03-18',
      currency: { code: 'EUR' },
      supplier: { number: '1013' },
      'account-type': { name: 'DE01' },
      'invoice-lines': [{ 'line-num': 1, description: 'Bolts', quantity: '10.0', price: '2.50', total: '25.00', uom: { code: 'EA' }, 'po-number': 'PO-A', 'order-line-num': '1' }],
    });
    const invoice = created.body as Rec;
    expect(invoice).toMatchObject({ status: 'pending_approval', 'document-type': 'Invoice', 'lock-version-key': 1, exported: false });
    const id = String(invoice['id']);
    await coupa.put(`/api/invoices/${id}?exported=true`);
    expect(await unexported('invoices')).toEqual([]);
    tick();
    const corrected = await admin(sim.url).put(`/invoices/${id}`, { 'invoice-lines': [{ ...(invoice['invoice-lines'] as Rec[])[0], quantity: '8.0', total: '20.00' }] });
    expect(corrected.body).toMatchObject({ id: invoice['id'], 'lock-version-key': 2, exported: false, 'updated-at': stamp() });
    const [served] = (await coupa.get('/api/invoices?exported=false')).body as Rec[];
    const mapped = mapCapturedInvoice(served, { ids: nameBasedIds, legalEntities: () => ({ code: 'DE01', country: 'DE', name: null }) });
    expect(mapped.payload.totals.net.amount).toBe('20.0000');
    expect((await coupa.put(`/api/invoices/${id}/void`)).status).toBe(422);
    await admin(sim.url).put(`/invoices/${id}`, { status: 'approved' });
    await coupa.put(`/api/invoices/${id}?exported=true`);
    expect((await coupa.put(`/api/invoices/${id}/void`)).body).toMatchObject({ status: 'voided', 'lock-version-key': 4, exported: false });
    expect(((await coupa.get('/api/invoices?exported=false&status[in]=approved,voided')).body as Rec[]).map((r) => r['id'])).toEqual([invoice['id']]);
  });
});
