import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '../credentials/secret';
import type { ClientCredentialsSettings } from '../credentials/platform-auth-settings';
import { PlatformAuthError, PlatformUnavailableError } from '../http/platform-errors';
import { ClientCredentialsAuthorizer, refreshAfterMs } from './client-credentials-authorizer';

/** A minimal RFC 6749 token endpoint: the test decides each answer and sees each request. */
interface TokenCall {
  readonly authorization: string | undefined;
  readonly form: URLSearchParams;
}

async function tokenEndpoint(answer: (call: TokenCall, n: number) => { status: number; body: unknown }) {
  const calls: TokenCall[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const call = { authorization: req.headers.authorization, form: new URLSearchParams(text) };
      calls.push(call);
      const { status, body } = answer(call, calls.length);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/v1/token`;
  return { url, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function settings(url: string, clientAuthentication: 'basic' | 'body'): ClientCredentialsSettings {
  return { kind: 'oauth2-client-credentials', tokenUrl: url, clientId: 'finmesh', clientSecret: new Secret('top-secret'), scopes: ['a.read', 'b.write'], clientAuthentication };
}

describe('ClientCredentialsAuthorizer', () => {
  it('fetches a token once, reuses it, and refreshes it before it expires', async () => {
    const endpoint = await tokenEndpoint((_c, n) => ({ status: 200, body: { access_token: `tok-${n}`, token_type: 'Bearer', expires_in: 3600 } }));
    let now = 1_000_000;
    const auth = new ClientCredentialsAuthorizer(settings(endpoint.url, 'basic'), { platform: 'fusion', now: () => now });
    try {
      expect(await auth.authorization()).toBe('Bearer tok-1');
      now += 3_000_000; // 50 min of a 60 min token: still inside its use window (90%)
      expect(await auth.authorization()).toBe('Bearer tok-1');
      now += 300_000; // 55 min: within the last 10%, refresh now rather than fail later
      expect(await auth.authorization()).toBe('Bearer tok-2');
      expect(endpoint.calls).toHaveLength(2);
      // Basic client authentication with the form-urlencoded id and secret, scopes space-separated.
      expect(endpoint.calls[0]!.authorization).toBe(`Basic ${Buffer.from('finmesh:top-secret').toString('base64')}`);
      expect(endpoint.calls[0]!.form.get('grant_type')).toBe('client_credentials');
      expect(endpoint.calls[0]!.form.get('scope')).toBe('a.read b.write');
      expect(endpoint.calls[0]!.form.get('client_secret')).toBeNull();
    } finally {
      await endpoint.close();
    }
  });

  it('shares one token request among concurrent callers, and fetches anew after invalidate()', async () => {
    const endpoint = await tokenEndpoint((_c, n) => ({ status: 200, body: { access_token: `tok-${n}`, token_type: 'bearer', expires_in: 86_399 } }));
    const auth = new ClientCredentialsAuthorizer(settings(endpoint.url, 'body'), { platform: 'coupa' });
    try {
      const headers = await Promise.all([auth.authorization(), auth.authorization(), auth.authorization()]);
      expect(new Set(headers)).toEqual(new Set(['Bearer tok-1']));
      expect(endpoint.calls).toHaveLength(1);
      expect(endpoint.calls[0]!.form.get('client_id')).toBe('finmesh');
      expect(endpoint.calls[0]!.form.get('client_secret')).toBe('top-secret');
      expect(endpoint.calls[0]!.authorization).toBeUndefined();
      auth.invalidate();
      expect(await auth.authorization()).toBe('Bearer tok-2');
    } finally {
      await endpoint.close();
    }
  });

  it('turns a refused client into a PlatformAuthError naming the OAuth error, never the secret', async () => {
    const endpoint = await tokenEndpoint(() => ({ status: 401, body: { error: 'invalid_client', error_description: 'bad secret top-secret' } }));
    const auth = new ClientCredentialsAuthorizer(settings(endpoint.url, 'basic'), { platform: 'fusion' });
    try {
      const error: unknown = await auth.authorization().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PlatformAuthError);
      expect((error as Error).message).toBe("fusion token request: client 'finmesh' refused with 401 (invalid_client)");
      expect((error as PlatformAuthError).retriable).toBe(false);
    } finally {
      await endpoint.close();
    }
  });

  it('treats a failing or unreachable token endpoint as the platform being unavailable (retriable)', async () => {
    const endpoint = await tokenEndpoint(() => ({ status: 503, body: {} }));
    try {
      const down = await new ClientCredentialsAuthorizer(settings(endpoint.url, 'basic'), { platform: 'fusion' }).authorization().catch((e: unknown) => e);
      expect(down).toBeInstanceOf(PlatformUnavailableError);
    } finally {
      await endpoint.close();
    }
    const gone = await new ClientCredentialsAuthorizer(settings(endpoint.url, 'basic'), { platform: 'fusion', timeoutMs: 2000 }).authorization().catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(PlatformUnavailableError);
    expect((gone as Error).message).toMatch(/token endpoint unreachable \(ECONNREFUSED\)/);
  });

  it('refreshes at 90% of a long lifetime and halfway through a very short one', () => {
    expect(refreshAfterMs(86_400)).toBe(86_400_000 * 0.9);
    expect(refreshAfterMs(3600)).toBe(3_240_000);
    expect(refreshAfterMs(10)).toBe(5000);
  });
});
