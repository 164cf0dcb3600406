import { clientsFromEnv, rateLimitFromEnv } from './env';
import { startApSimulator, type ApSimulator } from './server';
import { admin, api, request, token } from './testing/ap-client';

type Rec = Record<string, unknown> & { id: number };
type Calls = { items: { route: string | null; status: number; clientId: string | null; idempotencyKey: string | null; fault: string | null }[] };

describe('AP simulator', () => {
  let sim: ApSimulator;
  let now = Date.parse('2025-03-10T09:00:00Z');
  let ap: ReturnType<typeof api>;
  let invoice: Rec;

  const seed = { 'invoice-number': 'RE-2025-0042', 'invoice-date': '2025-03-05', supplier: { id: 812, name: 'Schraubenwerk Müller GmbH', number: '1013' }, currency: { code: 'EUR' }, 'gross-total': '1190.00' };

  beforeAll(async () => {
    sim = await startApSimulator({ now: () => now, rateLimit: false, hangMs: 100, clients: [{ clientId: 'finmesh', clientSecret: 'finmesh-ap-simulator-secret', scopes: ['core.invoice.read', 'core.invoice.write', 'core.supplier.read', 'core.supplier.write'] }, { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['core.invoice.read'] }] });
    ap = api(sim.url, await token(sim.url));
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await admin(sim.url).post('/reset');
    await admin(sim.url).put('/rate-limit', { disabled: true });
    invoice = (await admin(sim.url).post('/invoices', seed)).body as Rec;
  });

  const stored = (id = invoice.id) => sim.state.invoices.get(id) as Rec;

  describe('authentication and scopes', () => {
    it('issues client-credentials tokens and refuses bad clients and scopes', async () => {
      const bad = await request(`${sim.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: 'finmesh', client_secret: 'wrong', grant_type: 'client_credentials' }) });
      expect(bad).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
      await expect(token(sim.url, ['core.invoice.write'], { id: 'reader', secret: 'reader-secret' })).rejects.toThrow(/400.*invalid_scope/);
      expect((await api(sim.url, null).get('/api/invoices')).status).toBe(401);
      expect((await api(sim.url, 'not-a-token').get('/api/invoices')).headers.get('www-authenticate')).toContain('invalid_token');
    });

    it('reads with core.invoice.read but needs core.invoice.write to change an invoice', async () => {
      const reader = api(sim.url, await token(sim.url, [], { id: 'reader', secret: 'reader-secret' }));
      expect(await reader.get(`/api/invoices/${invoice.id}`)).toMatchObject({ status: 200, body: { 'invoice-number': 'RE-2025-0042', status: 'pending_approval', paid: false } });
      expect((await reader.put(`/api/invoices/${invoice.id}/bypass_approvals`)).status).toBe(403);
      expect((await reader.put(`/api/invoices/${invoice.id}`, { paid: true })).status).toBe(403);
      expect((await reader.get('/api/suppliers')).status).toBe(403);
      expect(stored()).toMatchObject({ status: 'pending_approval', paid: false });
    });
  });

  describe('write operations', () => {
    it('approves a pending invoice with bypass_approvals; a repeat is refused by the state machine, not a key', async () => {
      now += 1_000;
      const approved = await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`, undefined, { 'idempotency-key': 'a-1' });
      expect(approved).toMatchObject({ status: 200, body: { status: 'approved', 'updated-at': '2025-03-10T09:00:01+00:00' } });
      const again = await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`, undefined, { 'idempotency-key': 'a-1' });
      expect(again).toMatchObject({ status: 422, body: { errors: { status: [expect.stringContaining('approved')] } } });
      expect(stored()['status']).toBe('approved');
    });

    it('approves an invoice AP put on hold in the UI (admin), which resets exported; API writes leave exported alone', async () => {
      await ap.put(`/api/invoices/${invoice.id}?exported=true`);
      expect(stored()['exported']).toBe(true);
      await admin(sim.url).put(`/invoices/${invoice.id}`, { status: 'on_hold' });
      expect(stored()).toMatchObject({ status: 'on_hold', exported: false });
      await ap.put(`/api/invoices/${invoice.id}?exported=true`);
      expect((await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`)).body).toMatchObject({ status: 'approved', exported: true });
    });

    it('disputes with a valid reason code and a comment, and refuses an unknown reason', async () => {
      expect(await ap.put(`/api/invoices/${invoice.id}/dispute`, { 'dispute-reason': { code: 'NOT-A-REASON' } })).toMatchObject({ status: 422, body: { errors: { 'dispute-reason': [expect.any(String)] } } });
      expect(stored()['status']).toBe('pending_approval');
      const disputed = await ap.put(`/api/invoices/${invoice.id}/dispute`, { 'dispute-reason': { code: 'INCORRECT-PRICE' }, comment: 'Price variance 4.2% on line 1 (tolerance 2%).' });
      expect(disputed).toMatchObject({ status: 200, body: { status: 'disputed', 'dispute-reason': { code: 'INCORRECT-PRICE' } } });
      expect(((await ap.get(`/api/invoices/${invoice.id}/comments`)).body as Rec[]).map((c) => c['comments'])).toEqual(['Price variance 4.2% on line 1 (tolerance 2%).']);
      expect((await ap.put(`/api/invoices/${invoice.id}/dispute`, {})).status).toBe(422);
    });

    it('voids an approved invoice, and refuses to void a pending one', async () => {
      expect((await ap.put(`/api/invoices/${invoice.id}/void`)).status).toBe(422);
      await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`);
      expect(await ap.put(`/api/invoices/${invoice.id}/void`)).toMatchObject({ status: 200, body: { status: 'voided' } });
      expect((await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`)).status).toBe(422);
    });

    it('records payments with paid, payment-date, payment-notes and payments[]; partial then full', async () => {
      const partial = await ap.put(`/api/invoices/${invoice.id}`, { payments: [{ 'amount-paid': '500.00', notes: 'PAY-1', 'payment-date': '2025-03-20' }] });
      expect(partial.status).toBe(200);
      expect(partial.body).toMatchObject({ paid: false, payments: [{ 'amount-paid': '500.00', notes: 'PAY-1', 'payment-date': '2025-03-20', 'payable-id': invoice.id, 'payable-type': 'InvoiceHeader', id: expect.any(Number) }] });
      const full = await ap.put(`/api/invoices/${invoice.id}`, { paid: true, 'payment-date': '2025-03-25T00:00:00+00:00', 'payment-notes': 'PAY-2|EUR|690.00|FULLY PAID', payments: [{ 'amount-paid': 690, notes: 'PAY-2', 'payment-date': '2025-03-25' }] });
      expect(full.body).toMatchObject({ paid: true, 'payment-date': '2025-03-25T00:00:00+00:00', 'payment-notes': 'PAY-2|EUR|690.00|FULLY PAID' });
      expect(((full.body as Rec)['payments'] as Rec[]).map((p) => p['amount-paid'])).toEqual(['500.00', '690']);
      expect(sim.state.payments.all()).toHaveLength(2);
      expect((await ap.put(`/api/invoices/${invoice.id}`, { payments: [{ 'amount-paid': 'lots' }] })).status).toBe(400);
      expect((await ap.put(`/api/invoices/${invoice.id}`, { paid: 'yes' })).status).toBe(400);
    });

    it('writes the ERP document number to a custom field and a posting failure to internal-note and a comment; status in an update is ignored', async () => {
      const posted = await ap.put(`/api/invoices/${invoice.id}`, { 'custom-fields': { 'erp-invoice-number': '5105600123' }, 'internal-note': 'Posted in ERP.', status: 'approved' });
      expect(posted.body).toMatchObject({ 'custom-fields': { 'erp-invoice-number': '5105600123' }, 'internal-note': 'Posted in ERP.', status: 'pending_approval' });
      const comment = await ap.post(`/api/invoices/${invoice.id}/comments`, { comments: 'Posting failed (business): supplier site inactive.' });
      expect(comment).toMatchObject({ status: 201, body: { 'commentable-type': 'InvoiceHeader', 'commentable-id': invoice.id, comments: 'Posting failed (business): supplier site inactive.' } });
      expect((await ap.get(`/api/invoices/${invoice.id}/comments/${(comment.body as Rec).id}`)).status).toBe(200);
      expect((await ap.post(`/api/invoices/${invoice.id}/comments`, { comments: '' })).status).toBe(400);
      expect((await ap.post('/api/invoices/1/comments', { comments: 'x' })).status).toBe(404);
    });

    it('holds and releases a supplier through the suppliers resource (the AP side of a supplier block)', async () => {
      const supplier = (await admin(sim.url).post('/suppliers', { name: 'Schraubenwerk Müller GmbH', number: '1013' })).body as Rec;
      const found = (await ap.get('/api/suppliers?number=1013')).body as Rec[];
      expect(found.map((s) => s.id)).toEqual([supplier.id]);
      expect((await ap.put(`/api/suppliers/${supplier.id}`, { 'on-hold': true })).body).toMatchObject({ 'on-hold': true, status: 'active' });
      expect(sim.state.suppliers.get(supplier.id)?.['on-hold']).toBe(true);
      expect((await ap.put(`/api/suppliers/${supplier.id}`, { 'on-hold': false })).body).toMatchObject({ 'on-hold': false });
    });
  });

  describe('repeated identical writes are applied as Coupa would, with no de-duplication by key', () => {
    it('a repeated payment PUT records the payment twice, even under the same Idempotency-Key', async () => {
      const body = { payments: [{ 'amount-paid': '1190.00', notes: 'PAY-9', 'payment-date': '2025-03-25' }] };
      expect((await ap.put(`/api/invoices/${invoice.id}`, body, { 'idempotency-key': 'pay-9' })).status).toBe(200);
      expect((await ap.put(`/api/invoices/${invoice.id}`, body, { 'idempotency-key': 'pay-9' })).status).toBe(200);
      expect((stored()['payments'] as Rec[]).map((p) => p['notes'])).toEqual(['PAY-9', 'PAY-9']);
      const calls = (await admin(sim.url).get(`/calls?route=${encodeURIComponent('PUT /api/invoices/:id')}`)).body as Calls;
      expect(calls.items.map((c) => [c.status, c.idempotencyKey])).toEqual([[200, 'pay-9'], [200, 'pay-9']]);
    });

    it('a repeated comment is a second comment; a repeated paid flag leaves the same state', async () => {
      await ap.post(`/api/invoices/${invoice.id}/comments`, { comments: 'Matched.' }, { 'idempotency-key': 'c-1' });
      await ap.post(`/api/invoices/${invoice.id}/comments`, { comments: 'Matched.' }, { 'idempotency-key': 'c-1' });
      expect(sim.state.comments.all().map((c) => c['comments'])).toEqual(['Matched.', 'Matched.']);
      const first = await ap.put(`/api/invoices/${invoice.id}`, { paid: true, 'payment-date': '2025-03-25' });
      now += 2_000;
      const second = await ap.put(`/api/invoices/${invoice.id}`, { paid: true, 'payment-date': '2025-03-25' });
      expect(second.body).toEqual(first.body);
    });
  });

  describe('rate limit, faults and the call log', () => {
    it('answers 429 with Retry-After past the bucket, per client', async () => {
      await admin(sim.url).put('/rate-limit', { requestsPerSecond: 1, burst: 2 });
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await ap.get('/api/invoices')).status);
      expect(statuses).toEqual([200, 200, 429]);
      const limited = await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(stored()['status']).toBe('pending_approval');
      now += 1_000;
      expect((await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`)).status).toBe(200);
    });

    it('fails on demand with 5xx, timeouts, slow answers and injected 429s, applying nothing it did not answer', async () => {
      const arm = async (fault: Record<string, unknown>) => expect((await admin(sim.url).post('/faults', fault)).status).toBe(201);
      await arm({ kind: 'http-5xx', route: 'PUT /api/invoices/:id/bypass_approvals', status: 502, times: 2 });
      expect((await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`)).status).toBe(502);
      expect((await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`)).status).toBe(502);
      expect(stored()['status']).toBe('pending_approval');
      await arm({ kind: 'timeout', route: 'PUT /api/invoices/:id/bypass_approvals', hangMs: 50 });
      await expect(ap.put(`/api/invoices/${invoice.id}/bypass_approvals`)).rejects.toThrow();
      expect(stored()['status']).toBe('pending_approval');
      await arm({ kind: 'rate-limit', retryAfterSeconds: 3 });
      const injected = await ap.get('/api/invoices');
      expect([injected.status, injected.headers.get('retry-after')]).toEqual([429, '3']);
      await arm({ kind: 'slow', route: 'PUT /api/invoices/:id/bypass_approvals', delayMs: 150 });
      const started = Date.now();
      expect((await ap.put(`/api/invoices/${invoice.id}/bypass_approvals`)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      const calls = (await admin(sim.url).get('/calls')).body as Calls;
      const apiCalls = calls.items.filter((c) => c.route?.includes(' /api/'));
      expect(apiCalls.map((c) => [c.route, c.status, c.fault])).toEqual([
        ['PUT /api/invoices/:id/bypass_approvals', 502, 'http-5xx'],
        ['PUT /api/invoices/:id/bypass_approvals', 502, 'http-5xx'],
        ['PUT /api/invoices/:id/bypass_approvals', 0, 'timeout'],
        ['GET /api/invoices', 429, 'rate-limit'],
        ['PUT /api/invoices/:id/bypass_approvals', 200, 'slow'],
      ]);
      // Faults apply before authentication; the served call names its client.
      expect(apiCalls.map((c) => c.clientId)).toEqual([null, null, null, null, 'finmesh']);
    });

    it('can apply a write and lose the answer (lost-response): the effect is there, the client saw no status', async () => {
      await admin(sim.url).post('/faults', { kind: 'lost-response', route: 'PUT /api/invoices/:id/bypass_approvals' });
      await expect(ap.put(`/api/invoices/${invoice.id}/bypass_approvals`)).rejects.toThrow();
      expect(stored()['status']).toBe('approved');
      const calls = (await admin(sim.url).get(`/calls?route=${encodeURIComponent('PUT /api/invoices/:id/bypass_approvals')}`)).body as Calls;
      expect(calls.items.map((c) => [c.status, c.fault, c.clientId])).toEqual([[0, 'lost-response', 'finmesh']]);
    });

    it('can accept a write and lose it (drop): answered 200, nothing changed', async () => {
      await admin(sim.url).post('/faults', { kind: 'drop', route: 'PUT /api/invoices/:id' });
      const answer = await ap.put(`/api/invoices/${invoice.id}`, { 'custom-fields': { cf_erp_invoice_number: 'AP-1' } });
      expect(answer.status).toBe(200);
      expect(stored()['custom-fields']).toEqual({});
      const calls = (await admin(sim.url).get(`/calls?route=${encodeURIComponent('PUT /api/invoices/:id')}`)).body as Calls;
      expect(calls.items.map((c) => [c.status, c.fault])).toEqual([[200, 'drop']]);
    });

    it('lists the routes faults can target and refuses others', async () => {
      const routes = ((await admin(sim.url).get('/routes')).body as { items: string[] }).items;
      expect(routes).toEqual(expect.arrayContaining(['POST /oauth2/token', 'PUT /api/invoices/:id', 'PUT /api/invoices/:id/dispute', 'POST /api/invoices/:invoice_id/comments', 'PUT /api/suppliers/:id']));
      expect((await admin(sim.url).post('/faults', { kind: 'http-5xx', route: 'PUT /api/invoices/:id/approve' })).status).toBe(400);
      expect((await ap.put(`/api/invoices/${invoice.id}/approve`)).status).toBe(404);
    });
  });

  it('reads its CLI settings from the environment', () => {
    expect(clientsFromEnv({})).toEqual([{ clientId: 'finmesh', clientSecret: 'finmesh-ap-simulator-secret', scopes: ['core.invoice.read', 'core.invoice.write', 'core.supplier.read', 'core.supplier.write'] }]);
    expect(clientsFromEnv({ AP_SIM_CLIENT_ID: 'x', AP_SIM_CLIENT_SECRET: 's', AP_SIM_SCOPES: 'core.invoice.read' })).toEqual([{ clientId: 'x', clientSecret: 's', scopes: ['core.invoice.read'] }]);
    expect(() => clientsFromEnv({ AP_SIM_CLIENT_ID: 'x' })).toThrow(/AP_SIM_CLIENT_SECRET/);
    expect(rateLimitFromEnv('off')).toBe(false);
    expect(rateLimitFromEnv('10/5')).toEqual({ requestsPerSecond: 10, burst: 5 });
    expect(() => rateLimitFromEnv('fast')).toThrow(/AP_SIM_RATE_LIMIT/);
  });
});
