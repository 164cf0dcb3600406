import { COUPA_SCOPES, DEFAULT_CLIENTS, startProcurementSimulator, type ProcurementSimulator } from './server';
import { admin, api, coupaOrder, request, token } from './testing/simulator-client';

describe('procurement simulator: faults on demand and the rate limit', () => {
  let sim: ProcurementSimulator;
  let now = Date.parse('2025-03-03T08:00:00Z');
  let coupa: ReturnType<typeof api>;

  beforeAll(async () => {
    sim = await startProcurementSimulator({ now: () => now, hangMs: 150, rateLimit: false, callLogLimit: 50, clients: [...DEFAULT_CLIENTS, { clientId: 'second', clientSecret: 'second-secret', scopes: [...COUPA_SCOPES] }] });
    coupa = api(sim.url, await token(sim.url));
    await admin(sim.url).post('/purchase_orders', coupaOrder('PO-1'));
  });
  afterAll(() => sim.close());
  afterEach(async () => {
    await admin(sim.url).delete('/faults');
    await admin(sim.url).put('/rate-limit', { disabled: true });
  });

  const arm = async (fault: Record<string, unknown>) => {
    const r = await admin(sim.url).post('/faults', fault);
    expect(r.status).toBe(201);
    return r.body;
  };

  it('answers 5xx on the next N calls of one route only, then serves again', async () => {
    await arm({ kind: 'http-5xx', route: 'GET /api/purchase_orders', times: 2, status: 502 });
    expect((await coupa.get('/api/purchase_orders/4000')).status).toBe(200);
    expect((await coupa.get('/api/purchase_orders')).status).toBe(502);
    expect((await coupa.get('/api/purchase_orders')).status).toBe(502);
    expect((await coupa.get('/api/purchase_orders')).status).toBe(200);
    const calls = (await admin(sim.url).get(`/calls?route=${encodeURIComponent('GET /api/purchase_orders')}`)).body as { items: { status: number; fault: string | null }[] };
    expect(calls.items.slice(-3).map((c) => [c.status, c.fault])).toEqual([[502, 'http-5xx'], [502, 'http-5xx'], [200, null]]);
  });

  it('refuses a fault for a route it does not serve, or of an unknown kind', async () => {
    const bad = await admin(sim.url).post('/faults', { kind: 'explode', route: 'GET /api/nothing' });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.body as { errors: Record<string, unknown> }).errors).sort()).toEqual(['kind', 'route']);
    expect(((await admin(sim.url).get('/routes')).body as { items: string[] }).items).toEqual(expect.arrayContaining(['POST /oauth2/token', 'PUT /api/purchase_orders/:id', 'PUT /api/receiving_transactions/:id/void']));
  });

  it('drops the connection on a timeout fault, delays on a slow one, and fails the token endpoint on demand', async () => {
    await arm({ kind: 'timeout', route: 'GET /api/purchase_orders/:id' });
    await expect(coupa.get('/api/purchase_orders/4000')).rejects.toThrow();
    await arm({ kind: 'slow', route: 'GET /api/purchase_orders/:id', delayMs: 200 });
    const started = Date.now();
    expect((await coupa.get('/api/purchase_orders/4000')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await arm({ kind: 'http-5xx', route: 'POST /oauth2/token' });
    await expect(token(sim.url)).rejects.toThrow(/503/);
    await expect(token(sim.url)).resolves.toEqual(expect.any(String));
  });

  it('answers 429 with Retry-After on an injected rate-limit fault, before authentication', async () => {
    await arm({ kind: 'rate-limit', retryAfterSeconds: 7 });
    const r = await api(sim.url, null).get('/api/invoices');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
  });

  it('limits each client with a token bucket (burst, then 429 and Retry-After until tokens come back)', async () => {
    await admin(sim.url).put('/rate-limit', { requestsPerSecond: 2, burst: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await coupa.get('/api/purchase_orders')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await coupa.get('/api/purchase_orders');
    expect(limited.headers.get('retry-after')).toBe('1');
    // Another client has its own bucket.
    expect((await api(sim.url, await token(sim.url, COUPA_SCOPES, { id: 'second', secret: 'second-secret' })).get('/api/purchase_orders')).status).toBe(200);
    now += 500;
    expect((await coupa.get('/api/purchase_orders')).status).toBe(200);
    expect((await coupa.get('/api/purchase_orders')).status).toBe(429);
    const calls = (await admin(sim.url).get('/calls')).body as { items: { fault: string | null }[]; count: number };
    expect(calls.items.filter((c) => c.fault === 'rate-limited').length).toBeGreaterThanOrEqual(3);
    expect(calls.count).toBeLessThanOrEqual(50);
  });

  it("answers JSON only, and Coupa's JSON error shape for unknown routes and methods", async () => {
    const xml = await request(`${sim.url}/api/purchase_orders`, { headers: { accept: 'application/xml' } });
    expect(xml.status).toBe(406);
    expect(await request(`${sim.url}/api/requisitions`)).toMatchObject({ status: 404, body: { errors: { error: [expect.any(String)] } } });
    expect((await request(`${sim.url}/api/purchase_orders`, { method: 'DELETE' })).status).toBe(405);
  });
});
