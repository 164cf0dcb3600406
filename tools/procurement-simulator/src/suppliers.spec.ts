import { formatCoupaTime } from './clock';
import { startProcurementSimulator, type ProcurementSimulator } from './server';
import { admin, api, request, token } from './testing/simulator-client';

type Supplier = Record<string, unknown> & { id: number };
type Calls = { items: { route: string | null; status: number; clientId: string | null; idempotencyKey: string | null; fault: string | null }[] };

describe('procurement simulator: the suppliers resource', () => {
  let sim: ProcurementSimulator;
  let now = Date.parse('2025-03-03T08:00:00Z');
  let coupa: ReturnType<typeof api>;
  let supplier: Supplier;

  const seed = { name: 'Schraubenwerk Müller GmbH', number: '1013', 'payment-term': { code: 'Net 30' }, 'primary-address': { street1: 'Hauptstr. 1', city: 'Stuttgart', 'postal-code': '70173', country: { code: 'DE' } } };

  beforeAll(async () => {
    sim = await startProcurementSimulator({ now: () => now, rateLimit: false, hangMs: 100 });
    coupa = api(sim.url, await token(sim.url));
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await admin(sim.url).post('/reset');
    supplier = (await admin(sim.url).post('/suppliers', seed)).body as Supplier;
  });

  it('needs core.supplier.read to read and core.supplier.write to change', async () => {
    const reader = api(sim.url, await token(sim.url, ['core.supplier.read']));
    expect((await reader.get(`/api/suppliers/${supplier.id}`)).status).toBe(200);
    const refused = await reader.put(`/api/suppliers/${supplier.id}`, { status: 'inactive' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('scope="core.supplier.write"');
    expect((await api(sim.url, await token(sim.url, ['core.invoice.read'])).get('/api/suppliers')).status).toBe(403);
    expect((await api(sim.url, null).get('/api/suppliers')).status).toBe(401);
    expect(sim.state.suppliers.get(supplier.id)?.['status']).toBe('active');
  });

  it("looks a supplier up by number with Coupa's query syntax and shows one by id", async () => {
    await admin(sim.url).post('/suppliers', { name: 'Other AG', number: '2000', status: 'inactive' });
    const byNumber = await coupa.get('/api/suppliers?number=1013');
    expect(byNumber.status).toBe(200);
    expect((byNumber.body as Supplier[]).map((s) => s.id)).toEqual([supplier.id]);
    expect(((await coupa.get('/api/suppliers?status=inactive')).body as Supplier[]).map((s) => s['number'])).toEqual(['2000']);
    expect(((await coupa.get('/api/suppliers?payment-term[code]=Net%2030')).body as Supplier[]).map((s) => s.id)).toEqual([supplier.id]);
    expect(await coupa.get(`/api/suppliers/${supplier.id}`)).toMatchObject({ status: 200, body: { id: supplier.id, name: seed.name, status: 'active', 'on-hold': false, 'created-at': '2025-03-03T08:00:00+00:00' } });
    expect((await coupa.get('/api/suppliers/99999')).status).toBe(404);
  });

  it('updates status, hold, name, address and payment terms with PUT, moving updated-at', async () => {
    now += 5_000;
    const changed = await coupa.put(`/api/suppliers/${supplier.id}`, { status: 'inactive', 'on-hold': true, name: 'Schraubenwerk Müller AG', 'payment-term': { code: 'Net 45' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: supplier.id, status: 'inactive', 'on-hold': true, name: 'Schraubenwerk Müller AG', 'payment-term': { code: 'Net 45' }, number: '1013', 'primary-address': seed['primary-address'], 'updated-at': '2025-03-03T08:00:05+00:00' });
    expect(sim.state.suppliers.get(supplier.id)).toMatchObject({ status: 'inactive', 'on-hold': true });
    const back = await coupa.put(`/api/suppliers/${supplier.id}`, { status: 'active', 'on-hold': false });
    expect(back.body).toMatchObject({ status: 'active', 'on-hold': false });
  });

  it('refuses a bad status or hold value, and a name or number another supplier has', async () => {
    await admin(sim.url).post('/suppliers', { name: 'Other AG', number: '2000' });
    expect(await coupa.put(`/api/suppliers/${supplier.id}`, { status: 'blocked' })).toMatchObject({ status: 400, body: { errors: { status: [expect.any(String)] } } });
    expect((await coupa.put(`/api/suppliers/${supplier.id}`, { 'on-hold': 'yes' })).status).toBe(400);
    expect(await coupa.put(`/api/suppliers/${supplier.id}`, { number: '2000' })).toMatchObject({ status: 422, body: { errors: { number: [expect.any(String)] } } });
    expect(sim.state.suppliers.get(supplier.id)?.['number']).toBe('1013');
  });

  it('creates a supplier with POST; the same create again is refused by the unique number, not by a key', async () => {
    const body = { name: 'Neu GmbH', number: '3000', status: 'active' };
    const created = await coupa.post('/api/suppliers', body, { 'idempotency-key': 'k-1' });
    expect(created).toMatchObject({ status: 201, body: { name: 'Neu GmbH', number: '3000', status: 'active', 'on-hold': false, id: expect.any(Number) } });
    const again = await coupa.post('/api/suppliers', body, { 'idempotency-key': 'k-1' });
    expect(again.status).toBe(422);
    expect(sim.state.suppliers.all().filter((s) => s['number'] === '3000')).toHaveLength(1);
    // A different record under the same key is created: the key is not used to de-duplicate.
    expect((await coupa.post('/api/suppliers', { name: 'Dritte KG', number: '3001' }, { 'idempotency-key': 'k-1' })).status).toBe(201);
    expect((await coupa.post('/api/suppliers', { number: '3002' })).status).toBe(400);
  });

  it('applies a repeated identical update again (same end state, updated-at unchanged by a no-op), whatever the Idempotency-Key', async () => {
    now += 1_000;
    const first = await coupa.put(`/api/suppliers/${supplier.id}`, { status: 'inactive' }, { 'idempotency-key': 'same' });
    now += 1_000;
    const second = await coupa.put(`/api/suppliers/${supplier.id}`, { status: 'inactive' }, { 'idempotency-key': 'same' });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).toEqual(first.body);
    expect((first.body as Supplier)['updated-at']).toBe(formatCoupaTime(now - 1_000));
    // The same key on a different change is applied too.
    const third = await coupa.put(`/api/suppliers/${supplier.id}`, { status: 'active' }, { 'idempotency-key': 'same' });
    expect(third.body).toMatchObject({ status: 'active', 'updated-at': formatCoupaTime(now) });
    const calls = (await admin(sim.url).get(`/calls?route=${encodeURIComponent('PUT /api/suppliers/:id')}`)).body as Calls;
    expect(calls.items.map((c) => [c.status, c.idempotencyKey, c.clientId])).toEqual([[200, 'same', 'finmesh'], [200, 'same', 'finmesh'], [200, 'same', 'finmesh']]);
  });

  it('keeps remit-to addresses per supplier: a repeated create makes a second address', async () => {
    const address = { name: 'Main remit-to', 'remit-to-code': 'RT-1', street1: 'Bankweg 2', city: 'Stuttgart', 'postal-code': '70174', country: { code: 'DE' } };
    const one = await coupa.post(`/api/suppliers/${supplier.id}/addresses`, address);
    const two = await coupa.post(`/api/suppliers/${supplier.id}/addresses`, address);
    expect([one.status, two.status]).toEqual([201, 201]);
    const listed = (await coupa.get(`/api/suppliers/${supplier.id}/addresses`)).body as Supplier[];
    expect(listed.map((a) => a['remit-to-code'])).toEqual(['RT-1', 'RT-1']);
    const id = (one.body as Supplier).id;
    expect(await coupa.put(`/api/suppliers/${supplier.id}/addresses/${id}`, { street1: 'Bankweg 4', active: false })).toMatchObject({ status: 200, body: { street1: 'Bankweg 4', active: false, 'supplier-id': supplier.id } });
    expect(await coupa.patch(`/api/suppliers/${supplier.id}/addresses/${id}`, { active: true })).toMatchObject({ status: 200, body: { active: true } });
    const other = (await admin(sim.url).post('/suppliers', { name: 'Other AG' })).body as Supplier;
    expect((await coupa.get(`/api/suppliers/${other.id}/addresses/${id}`)).status).toBe(404);
    expect(((await admin(sim.url).get('/remit_to_addresses')).body as { items: unknown[] }).items).toHaveLength(2);
  });

  it('rate-limits and fails supplier routes on demand, recording every call', async () => {
    expect((await admin(sim.url).post('/faults', { kind: 'http-5xx', route: 'PUT /api/suppliers/:id', status: 503 })).status).toBe(201);
    expect((await coupa.put(`/api/suppliers/${supplier.id}`, { status: 'inactive' })).status).toBe(503);
    expect(sim.state.suppliers.get(supplier.id)?.['status']).toBe('active');
    await admin(sim.url).post('/faults', { kind: 'timeout', route: 'PUT /api/suppliers/:id', hangMs: 50 });
    await expect(coupa.put(`/api/suppliers/${supplier.id}`, { status: 'inactive' })).rejects.toThrow();
    expect(sim.state.suppliers.get(supplier.id)?.['status']).toBe('active');
    await admin(sim.url).put('/rate-limit', { requestsPerSecond: 1, burst: 1 });
    expect((await coupa.get('/api/suppliers')).status).toBe(200);
    const limited = await coupa.get('/api/suppliers');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    await admin(sim.url).put('/rate-limit', { disabled: true });
    const calls = (await admin(sim.url).get('/calls')).body as Calls;
    expect(calls.items.filter((c) => c.route?.includes('/api/suppliers')).map((c) => [c.status, c.fault])).toEqual([[503, 'http-5xx'], [0, 'timeout'], [200, null], [429, 'rate-limited']]);
    expect((await request(`${sim.url}/__admin/health`)).body).toMatchObject({ suppliers: 1 });
  });
});
