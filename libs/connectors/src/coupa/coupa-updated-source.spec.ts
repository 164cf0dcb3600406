import { startProcurementSimulator, type ProcurementSimulator } from '@finmesh/procurement-simulator';
import { authorizerFor } from '../auth/authorizer-for';
import { COUPA_CONNECTION, readPlatformConnection } from '../connections/platform-connection';
import { PlatformHttpClient } from '../http/platform-http-client';
import { coupaTime, coupaUpdatedSource } from './coupa-updated-source';

describe('coupaUpdatedSource', () => {
  let sim: ProcurementSimulator;
  let clock = Date.parse('2025-03-03T08:00:00Z');
  let client: PlatformHttpClient;

  beforeAll(async () => {
    sim = await startProcurementSimulator({ port: 0, rateLimit: false, now: () => clock });
    const { settings } = readPlatformConnection(
      { FINMESH_COUPA_BASE_URL: sim.url, FINMESH_COUPA_TOKEN_URL: `${sim.url}/oauth2/token`, FINMESH_COUPA_CLIENT_ID: 'finmesh', FINMESH_COUPA_CLIENT_SECRET: 'finmesh-simulator-secret' },
      COUPA_CONNECTION,
    );
    client = new PlatformHttpClient({ platform: 'coupa', baseUrl: settings!.baseUrl, authorizer: authorizerFor('coupa', settings!.auth) });
  });
  afterAll(async () => sim?.close());

  async function admin(method: string, path: string, body: unknown): Promise<{ id: number }> {
    const res = await fetch(`${sim.url}/__admin${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.ok).toBe(true);
    return (await res.json()) as { id: number };
  }
  const order = (n: number) => ({
    'po-number': `PO-U${n}`, status: 'issued', currency: { code: 'EUR' }, supplier: { id: 1, name: 'S', number: '1013' },
    'order-lines': [{ description: 'x', quantity: '1.0', price: '1.00', total: '1.00', uom: { code: 'EA' }, account: { code: 'A', 'account-type': { name: 'DE01' } } }],
  });

  it('writes times as Coupa prints them, to the second', () => {
    expect(coupaTime(new Date('2025-03-03T08:20:05.987Z'))).toBe('2025-03-03T08:20:05+00:00');
  });

  it('reads records updated at or after a time, oldest change first, including internal edits of exported POs, paged', async () => {
    const a = await admin('POST', '/purchase_orders', order(1));
    clock += 60_000;
    const b = await admin('POST', '/purchase_orders', order(2));
    clock += 60_000;
    // Mark both exported, then edit `a` internally (no new version): the exported flag stays true.
    for (const id of [a.id, b.id]) {
      const token = await client.request({ method: 'PUT', path: `/api/purchase_orders/${id}`, operation: 'PUT purchase_orders exported', query: { exported: true } });
      expect(token.status).toBe(200);
    }
    await admin('PUT', `/purchase_orders/${a.id}`, { 'ship-to-attention': 'Dock 4' });
    const source = coupaUpdatedSource({ client, resource: 'purchase_orders', versionOf: (po) => String(po['internal-revision']) });

    const all = await source.fetch(new Date(Date.parse('2025-03-03T08:00:00Z')), 0, 50);
    expect(all.records.map((r) => [r.key, r.version])).toEqual([[String(b.id), '1'], [String(a.id), '2']]);
    expect(all.records[1]!.data['exported']).toBe(true);
    expect(all.hasMore).toBe(false);

    const recent = await source.fetch(new Date(clock), 0, 50);
    expect(recent.records.map((r) => r.key)).toEqual([String(a.id)]);
    const paged = await source.fetch(new Date(Date.parse('2025-03-03T08:00:00Z')), 1, 1);
    expect(paged.records.map((r) => r.key)).toEqual([String(a.id)]);
    expect(paged.hasMore).toBe(true);
    expect((await source.fetch(new Date(clock + 60_000), 0, 50)).records).toEqual([]);
  });
});
