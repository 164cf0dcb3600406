/** Test helpers: a token from the simulator and Coupa API calls with it. */
import { COUPA_SCOPES } from '../oauth';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export async function token(base: string, scopes: readonly string[] = COUPA_SCOPES, client = { id: 'finmesh', secret: 'finmesh-simulator-secret' }): Promise<string> {
  const form = new URLSearchParams({ client_id: client.id, client_secret: client.secret, grant_type: 'client_credentials', scope: scopes.join(' ') });
  const answer = await request(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  if (answer.status !== 200) throw new Error(`token: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { access_token: string }).access_token;
}

export function api(base: string, accessToken: string | null) {
  const call = (method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}) =>
    request(`${base}${path}`, {
      method,
      headers: { accept: 'application/json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...extraHeaders },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: unknown, headers?: Record<string, string>) => call('PUT', path, body, headers),
    patch: (path: string, body?: unknown) => call('PATCH', path, body),
  };
}

export function admin(base: string) {
  const call = (method: string, path: string, body?: unknown) =>
    request(`${base}/__admin${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

/** A Coupa PO in the documented JSON shape (see libs/adapters/src/procurement/fixtures). */
export function coupaOrder(poNumber: string, lines = 2): Record<string, unknown> {
  return {
    'po-number': poNumber,
    status: 'issued',
    currency: { code: 'EUR' },
    supplier: { id: 812, name: 'Schraubenwerk Müller GmbH', number: '1013' },
    'order-lines': Array.from({ length: lines }, (_, i) => ({
      type: 'OrderQuantityLine',
      description: `Line ${i + 1}`,
      quantity: '10.0',
      price: '2.50',
      total: '25.00',
      uom: { code: 'EA' },
      'match-type': '3-way',
      'receipt-required': true,
      account: { code: 'DE01-4410-CC100', 'account-type': { name: 'DE01' }, 'segment-1': 'DE01', 'segment-2': '4410', 'segment-3': 'CC100' },
    })),
  };
}
