import { ClientCredentialsAuthorizer, PlatformHttpClient, Secret } from '@finmesh/connectors';
import { type ProcurementSimulator, startProcurementSimulator } from '@finmesh/procurement-simulator';
import { procurementConvergence } from './coupa-views';

/** finmesh's supplier view against the procurement simulator's, read with OAuth client credentials. */
describe('procurementConvergence against the procurement simulator', () => {
  let sim: ProcurementSimulator;
  let client: PlatformHttpClient;

  beforeAll(async () => {
    sim = await startProcurementSimulator({ port: 0, rateLimit: false });
    const authorizer = new ClientCredentialsAuthorizer(
      { kind: 'oauth2-client-credentials', tokenUrl: `${sim.url}/oauth2/token`, clientId: 'finmesh', clientSecret: new Secret('finmesh-simulator-secret'), scopes: ['core.supplier.read'], clientAuthentication: 'body' },
      { platform: 'coupa' },
    );
    client = new PlatformHttpClient({ platform: 'coupa', baseUrl: sim.url, authorizer });
    for (const [number, name, status] of [['1013', 'Schraubenwerk Müller GmbH', 'active'], ['2000', 'Other AG', 'inactive']] as const) {
      const res = await fetch(`${sim.url}/__admin/suppliers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, number, status }) });
      expect(res.status).toBeLessThan(300);
    }
  });

  afterAll(async () => {
    await sim?.close();
  });

  it("converges on the platform's supplier status and hold, and names a supplier still active there that finmesh blocked", async () => {
    expect(
      await procurementConvergence(client, {
        suppliers: new Map<string, Record<string, string>>([
          ['1013', { status: 'active', onHold: 'false' }],
          ['2000', { status: 'inactive' }],
        ]),
      }),
    ).toEqual({ converged: true, differences: [] });

    const blockedInErp = await procurementConvergence(client, { suppliers: new Map([['1013', { status: 'active', onHold: 'true' }]]) });
    expect(blockedInErp).toEqual({
      converged: false,
      differences: [{ platform: 'procurement', entity: 'supplier', key: '1013', kind: 'mismatch', field: 'onHold', expected: 'true', actual: 'false' }],
    });
  });
});
