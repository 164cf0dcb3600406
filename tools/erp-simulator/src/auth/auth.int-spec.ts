import { startErpSimulator, type ErpSimulator } from '../server';
import { simClient, sleep } from '../testing/sim-client';

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

async function token(sim: ErpSimulator, form: Record<string, string>, authorization?: string) {
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('ERP simulator authentication (real HTTP)', () => {
  let sim: ErpSimulator;
  beforeAll(async () => {
    sim = await startErpSimulator({
      tokenTtlSeconds: 1,
      auth: {
        users: [
          { username: 'finmesh', password: 'finmesh-dev' },
          { username: 'payables-only', password: 'p', resources: ['invoices'] },
        ],
        clients: [
          { clientId: 'finmesh', clientSecret: 'finmesh-dev' },
          { clientId: 'suppliers-reader', clientSecret: 's', resources: ['suppliers'] },
        ],
      },
    });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await simClient(sim).admin('POST', '/reset');
  });

  it('refuses a Fusion call without credentials with 401 and a WWW-Authenticate challenge', async () => {
    const res = await simClient(sim, null).api('GET', '/invoices');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=".*", Bearer realm=".*"$/);
    expect(res.body).toMatchObject({ title: 'Unauthorized', status: '401', 'o:errorDetails': [{ 'o:errorCode': 'UNAUTHORIZED' }] });
    expect((await simClient(sim, basic('finmesh', 'wrong')).api('GET', '/invoices')).status).toBe(401);
    expect((await simClient(sim, 'Digest abc').api('GET', '/invoices')).status).toBe(401);
  });

  it('serves a configured Basic user, and 403 on a resource the user may not call', async () => {
    expect((await simClient(sim, basic('finmesh', 'finmesh-dev')).api('GET', '/payablesPayments')).status).toBe(200);
    const limited = simClient(sim, basic('payables-only', 'p'));
    expect((await limited.api('GET', '/invoices')).status).toBe(200);
    const denied = await limited.api('GET', '/payablesPayments');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ title: 'Forbidden', 'o:errorDetails': [{ detail: 'payables-only is not authorized to access the resource payablesPayments.' }] });
  });

  it('issues client-credentials tokens (Basic client auth or form fields) that Fusion routes accept', async () => {
    const viaBasic = await token(sim, { grant_type: 'client_credentials', scope: 'urn:opc:resource:fa:instanceid=sim urn:opc:resource:consumer::all' }, basic('finmesh', 'finmesh-dev'));
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.headers.get('cache-control')).toBe('no-store');
    expect(viaBasic.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 1 });
    const viaForm = await token(sim, { grant_type: 'client_credentials', client_id: 'finmesh', client_secret: 'finmesh-dev' });
    expect(viaForm.status).toBe(200);

    const bearer = simClient(sim, `Bearer ${viaBasic.body['access_token'] as string}`);
    expect((await bearer.api('GET', '/invoices')).status).toBe(200);
    const calls = (await bearer.admin<{ items: Array<{ principal: string; path: string }> }>('GET', '/calls')).body.items;
    expect(calls.map((x) => x.principal)).toEqual([null, null, 'client:finmesh']);

    const scoped = await token(sim, { grant_type: 'client_credentials' }, basic('suppliers-reader', 's'));
    const reader = simClient(sim, `Bearer ${scoped.body['access_token'] as string}`);
    expect((await reader.api('GET', '/suppliers')).status).toBe(200);
    expect((await reader.api('GET', '/invoices')).status).toBe(403);
  });

  it('answers token errors as RFC 6749 does', async () => {
    const noClient = await token(sim, { grant_type: 'client_credentials' });
    expect(noClient).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(noClient.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(await token(sim, { grant_type: 'client_credentials' }, basic('finmesh', 'nope'))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await token(sim, { grant_type: 'password' }, basic('finmesh', 'finmesh-dev'))).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await token(sim, {}, basic('finmesh', 'finmesh-dev'))).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('answers 401 invalid_token for an expired or unknown token, so the client refreshes', async () => {
    const t = await token(sim, { grant_type: 'client_credentials' }, basic('finmesh', 'finmesh-dev'));
    const bearer = simClient(sim, `Bearer ${t.body['access_token'] as string}`);
    expect((await bearer.api('GET', '/invoices')).status).toBe(200);
    await sleep(1100);
    const expired = await bearer.api('GET', '/invoices');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token", error_description="The access token expired"');
    const unknown = await simClient(sim, 'Bearer not-a-token').api('GET', '/invoices');
    expect(unknown.headers.get('www-authenticate')).toContain('The access token is not valid');
    const fresh = await token(sim, { grant_type: 'client_credentials' }, basic('finmesh', 'finmesh-dev'));
    expect((await simClient(sim, `Bearer ${fresh.body['access_token'] as string}`).api('GET', '/invoices')).status).toBe(200);
  });

  it('revokes a user, a client or every token until restored', async () => {
    const admin = simClient(sim).admin;
    const user = simClient(sim, basic('finmesh', 'finmesh-dev'));
    expect((await admin('POST', '/auth/revoke', { username: 'finmesh' })).status).toBe(200);
    expect((await user.api('GET', '/invoices')).status).toBe(401);
    await admin('POST', '/auth/restore', { username: 'finmesh' });
    expect((await user.api('GET', '/invoices')).status).toBe(200);

    const t = await token(sim, { grant_type: 'client_credentials' }, basic('finmesh', 'finmesh-dev'));
    const bearer = simClient(sim, `Bearer ${t.body['access_token'] as string}`);
    expect((await admin('POST', '/auth/revoke', { clientId: 'finmesh' })).body).toMatchObject({ revokedTokens: 1 });
    expect((await bearer.api('GET', '/invoices')).status).toBe(401);
    expect((await token(sim, { grant_type: 'client_credentials' }, basic('finmesh', 'finmesh-dev'))).status).toBe(401);
    await admin('POST', '/auth/restore', { clientId: 'finmesh' });
    const again = await token(sim, { grant_type: 'client_credentials' }, basic('finmesh', 'finmesh-dev'));
    expect(again.status).toBe(200);

    await admin('POST', '/auth/revoke', { tokens: 'all' });
    expect((await simClient(sim, `Bearer ${again.body['access_token'] as string}`).api('GET', '/invoices')).status).toBe(401);
    expect((await token(sim, { grant_type: 'client_credentials' }, basic('finmesh', 'finmesh-dev'))).status).toBe(200);
    expect((await admin('POST', '/auth/revoke', {})).status).toBe(400);
  });

  it('leaves the admin API open, and serves anonymous callers only when allowed', async () => {
    expect((await simClient(sim, null).admin('GET', '/health')).status).toBe(200);
    const open = await startErpSimulator({ auth: { allowAnonymous: true } });
    try {
      const anonymous = simClient(open, null);
      expect((await anonymous.api('GET', '/invoices')).status).toBe(200);
      // Credentials are still checked when sent.
      expect((await simClient(open, basic('finmesh', 'bad')).api('GET', '/invoices')).status).toBe(401);
      expect((await anonymous.admin<{ items: Array<{ principal: string }> }>('GET', '/calls')).body.items[0]?.principal).toBe('anonymous');
    } finally {
      await open.close();
    }
  });
});
