import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Authorizer } from '../auth/authorizer';
import type { PlatformCallObservation } from '../observability/connector-observer';
import { PlatformAuthError, PlatformRateLimitedError, PlatformRequestError, PlatformUnavailableError, parseRetryAfter } from './platform-errors';
import { PlatformHttpClient } from './platform-http-client';

type Answer = { status: number; body?: string; headers?: Record<string, string> };

async function platform(answer: (path: string, authorization: string | undefined, n: number) => Answer) {
  let n = 0;
  const server: Server = createServer((req, res) => {
    n += 1;
    const a = answer(req.url ?? '', req.headers.authorization, n);
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => n, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Hands out numbered tokens, so a test sees when a fresh one was fetched. */
function countingAuthorizer(): Authorizer & { invalidations: number } {
  let token = 1;
  return {
    principal: 'finmesh-client',
    invalidations: 0,
    authorization: async () => `Bearer t${token}`,
    invalidate() {
      this.invalidations += 1;
      token += 1;
    },
  };
}

describe('PlatformHttpClient', () => {
  it('sends the authorization and query, and parses the JSON answer', async () => {
    const p = await platform((path, auth) => ({ status: 200, body: JSON.stringify({ path, auth }) }));
    const observed: PlatformCallObservation[] = [];
    const client = new PlatformHttpClient({ platform: 'fusion', baseUrl: p.url, authorizer: countingAuthorizer(), observer: { platformCall: (o) => observed.push(o) } });
    try {
      const r = await client.request({ method: 'GET', path: '/payablesPayments', query: { q: "LastUpdateDate >= '2026-12-01T00:00:00.000Z'", limit: 2 }, operation: 'GET payablesPayments' });
      expect(r.body).toEqual({ path: "/payablesPayments?q=LastUpdateDate+%3E%3D+%272026-12-01T00%3A00%3A00.000Z%27&limit=2", auth: 'Bearer t1' });
      expect(observed).toEqual([expect.objectContaining({ platform: 'fusion', operation: 'GET payablesPayments', outcome: 'ok' })]);
    } finally {
      await p.close();
    }
  });

  it('retries a 401 once with a fresh token, which succeeds when the old token had been revoked', async () => {
    const p = await platform((_path, auth) => (auth === 'Bearer t1' ? { status: 401 } : { status: 200, body: '{"ok":true}' }));
    const authorizer = countingAuthorizer();
    const client = new PlatformHttpClient({ platform: 'coupa', baseUrl: p.url, authorizer });
    try {
      expect((await client.request({ method: 'GET', path: '/api/purchase_orders', operation: 'GET purchase_orders' })).body).toEqual({ ok: true });
      expect(authorizer.invalidations).toBe(1);
      expect(p.calls()).toBe(2);
    } finally {
      await p.close();
    }
  });

  it('makes a repeated 401 and any 403 a non-retriable PlatformAuthError, counted as auth_refused', async () => {
    const p = await platform((path) => ({ status: path.startsWith('/forbidden') ? 403 : 401 }));
    const observed: PlatformCallObservation[] = [];
    const client = new PlatformHttpClient({ platform: 'fusion', baseUrl: p.url, authorizer: countingAuthorizer(), observer: { platformCall: (o) => observed.push(o) } });
    try {
      const unauthorized = await client.request({ method: 'GET', path: '/x', operation: 'GET x' }).catch((e: unknown) => e);
      expect(unauthorized).toBeInstanceOf(PlatformAuthError);
      expect((unauthorized as Error).message).toBe("fusion GET x: credentials refused (401) for 'finmesh-client'");
      const forbidden = await client.request({ method: 'GET', path: '/forbidden', operation: 'GET forbidden' }).catch((e: unknown) => e);
      expect((forbidden as PlatformAuthError).status).toBe(403);
      expect(p.calls()).toBe(3); // the 401 once retried, the 403 never
      expect(observed.map((o) => o.outcome)).toEqual(['auth_refused', 'auth_refused']);
    } finally {
      await p.close();
    }
  });

  it('classifies 429 (with Retry-After), 5xx and other 4xx, keeping the platform reason short', async () => {
    const p = await platform((path) => {
      if (path === '/throttled') return { status: 429, headers: { 'retry-after': '7' } };
      if (path === '/down') return { status: 503, body: '<html>maintenance</html>' };
      return { status: 400, body: JSON.stringify({ title: 'Bad Request', 'o:errorDetails': [{ detail: 'PurchaseOrderNumber PO-9 does not exist.' }] }) };
    });
    const client = new PlatformHttpClient({ platform: 'fusion', baseUrl: p.url, authorizer: countingAuthorizer() });
    try {
      const throttled = await client.request({ method: 'GET', path: '/throttled', operation: 'GET t' }).catch((e: unknown) => e);
      expect(throttled).toBeInstanceOf(PlatformRateLimitedError);
      expect((throttled as PlatformRateLimitedError).retryAfterMs).toBe(7000);
      expect(await client.request({ method: 'GET', path: '/down', operation: 'GET d' }).catch((e: unknown) => e)).toBeInstanceOf(PlatformUnavailableError);
      const refused = await client.request({ method: 'POST', path: '/invoices', body: { a: 1 }, operation: 'POST invoices' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(PlatformRequestError);
      expect((refused as PlatformRequestError).detail).toBe('PurchaseOrderNumber PO-9 does not exist.');
      expect((refused as PlatformRequestError).retriable).toBe(false);
    } finally {
      await p.close();
    }
  });

  it('reports no answer at all as the platform being unavailable', async () => {
    const closed = await platform(() => ({ status: 200 }));
    await closed.close(); // a port where nobody listens any more
    const client = new PlatformHttpClient({ platform: 'fusion', baseUrl: closed.url, authorizer: countingAuthorizer(), timeoutMs: 2000 });
    const err = await client.request({ method: 'GET', path: '/x', operation: 'GET x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformUnavailableError);
    expect((err as Error).message).toBe('fusion GET x: no answer (ECONNREFUSED)');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 10:00:05 GMT', Date.parse('Wed, 02 Dec 2026 10:00:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
