import { startProcurementSimulator, type ProcurementSimulator } from './server';
import { api, request, token } from './testing/simulator-client';

const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

describe('procurement simulator: OAuth 2.0 client credentials and scopes', () => {
  let sim: ProcurementSimulator;
  let now = Date.parse('2025-03-03T08:00:00Z');

  beforeAll(async () => {
    sim = await startProcurementSimulator({
      now: () => now,
      clients: [
        { clientId: 'finmesh', clientSecret: 'finmesh-simulator-secret', scopes: ['core.purchase_order.read', 'core.purchase_order.write', 'core.invoice.read'] },
        { clientId: 'other', clientSecret: 'other-secret', scopes: ['core.invoice.read'] },
      ],
    });
  });
  afterAll(() => sim.close());

  it('issues a bearer token for the form Coupa documents, living 24 h', async () => {
    const answer = await request(`${sim.url}/oauth2/token`, form({ client_id: 'finmesh', client_secret: 'finmesh-simulator-secret', grant_type: 'client_credentials', scope: 'core.purchase_order.read core.purchase_order.write' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), token_type: 'bearer', expires_in: 86_399, scope: 'core.purchase_order.read core.purchase_order.write' });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const basic = Buffer.from('other:other-secret').toString('base64');
    const viaBasic = await request(`${sim.url}/oauth2/token`, { ...form({ grant_type: 'client_credentials' }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` } });
    expect(viaBasic.body).toMatchObject({ token_type: 'bearer', scope: 'core.invoice.read' });
  });

  it('refuses a wrong secret, a wrong grant and a scope the client does not have', async () => {
    expect(await request(`${sim.url}/oauth2/token`, form({ client_id: 'finmesh', client_secret: 'nope', grant_type: 'client_credentials' }))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await request(`${sim.url}/oauth2/token`, form({ client_id: 'finmesh', client_secret: 'finmesh-simulator-secret', grant_type: 'password' }))).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await request(`${sim.url}/oauth2/token`, form({ client_id: 'finmesh', client_secret: 'finmesh-simulator-secret', grant_type: 'client_credentials', scope: 'core.inventory.receiving.read' }))).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
  });

  it('answers 401 without a token, for an API key or an unknown token, and 403 without the scope', async () => {
    const none = await api(sim.url, null).get('/api/purchase_orders');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const key = await request(`${sim.url}/api/purchase_orders`, { headers: { 'x-coupa-api-key': 'legacy' } });
    expect(key).toMatchObject({ status: 401, body: { errors: { error: [expect.stringContaining('API keys are no longer supported')] } } });
    const unknown = await api(sim.url, 'a.b.c').get('/api/purchase_orders');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const invoicesOnly = await token(sim.url, ['core.invoice.read'], { id: 'other', secret: 'other-secret' });
    expect((await api(sim.url, invoicesOnly).get('/api/invoices')).status).toBe(200);
    const denied = await api(sim.url, invoicesOnly).get('/api/purchase_orders');
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="core.purchase_order.read"');
    const readOnly = await token(sim.url, ['core.purchase_order.read']);
    expect((await api(sim.url, readOnly).put('/api/purchase_orders/1?exported=true')).status).toBe(403);
  });

  it('expires tokens after their lifetime', async () => {
    const t = await token(sim.url, ['core.purchase_order.read']);
    now += 86_398_000;
    expect((await api(sim.url, t).get('/api/purchase_orders')).status).toBe(200);
    now += 2_000;
    const expired = await api(sim.url, t).get('/api/purchase_orders');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('expired');
    const fresh = await token(sim.url, ['core.purchase_order.read']);
    expect((await api(sim.url, fresh).get('/api/purchase_orders')).status).toBe(200);
    expect((await request(`${sim.url}/__admin/auth/expire`, { method: 'POST' })).body).toEqual({ expiredTokens: expect.any(Number) });
    expect((await api(sim.url, fresh).get('/api/purchase_orders')).status).toBe(401);
  });

  it('revokes a client: its tokens stop working and it gets no new one until restored', async () => {
    const mine = await token(sim.url, ['core.purchase_order.read']);
    const theirs = await token(sim.url, ['core.invoice.read'], { id: 'other', secret: 'other-secret' });
    const revoked = await request(`${sim.url}/__admin/auth/revoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'finmesh' }) });
    expect(revoked.body).toEqual({ revokedTokens: expect.any(Number) });
    const r = await api(sim.url, mine).get('/api/purchase_orders');
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('revoked');
    expect((await api(sim.url, theirs).get('/api/invoices')).status).toBe(200);
    await expect(token(sim.url, ['core.purchase_order.read'])).rejects.toThrow(/401/);
    await request(`${sim.url}/__admin/auth/restore`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'finmesh' }) });
    expect((await api(sim.url, mine).get('/api/purchase_orders')).status).toBe(401);
    expect((await api(sim.url, await token(sim.url, ['core.purchase_order.read'])).get('/api/purchase_orders')).status).toBe(200);
  });

  it('records calls without secrets', async () => {
    const t = await token(sim.url, ['core.purchase_order.read']);
    await api(sim.url, t).get('/api/purchase_orders?exported=false');
    const calls = (await request(`${sim.url}/__admin/calls?route=${encodeURIComponent('GET /api/purchase_orders')}`)).body as { items: { clientId: string; status: number; query: Record<string, string> }[] };
    expect(calls.items.at(-1)).toMatchObject({ clientId: 'finmesh', status: 200, query: { exported: 'false' } });
    const everything = JSON.stringify((await request(`${sim.url}/__admin/calls`)).body);
    expect(everything).not.toContain(t);
    expect(everything).not.toContain('finmesh-simulator-secret');
  });
});
