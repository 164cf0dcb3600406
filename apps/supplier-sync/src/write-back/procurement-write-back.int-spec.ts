import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { ClientCredentialsAuthorizer, PlatformHttpClient, Secret } from '@finmesh/connectors';
import { procurementConvergence } from '@finmesh/ops';
import { type ProcurementSimulator, startProcurementSimulator } from '@finmesh/procurement-simulator';
import { mintDevToken } from '@finmesh/service-kit';
import { createTestSchema, dropTestSchema, eventually, provisionTestNamespace, startServiceUnderTest } from '@finmesh/testing';
import { supplierSyncService } from '../supplier-sync-service';

const SECRET = 'supplier-write-back-secret-0123456789abcdef';
const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../../../../libs/adapters/src/erp/fixtures/fusion-supplier.json'), 'utf8')) as Record<string, unknown>;

/** A supplier hold placed in the ERP reaches the procurement platform (the Coupa stand-in), once. */
describe('supplier holds written back to procurement', () => {
  let coupa: ProcurementSimulator;
  let app: INestApplication;
  let url: string;
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let schema: string;
  const supplierNumber = `W${Date.now().toString(36)}`;
  let clock = Date.now() - 3_600_000;

  const pushFromErp = async (over: Record<string, unknown>) => {
    clock += 60_000;
    const res = await fetch(`${url}/v1/erp/suppliers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${await mintDevToken({ clientId: 'fusion', roles: ['erp-platform'], secret: SECRET })}` },
      body: JSON.stringify({ ...FIXTURE, SupplierNumber: supplierNumber, LastUpdateDate: new Date(clock).toISOString(), ...over }),
    });
    expect(res.status).toBeLessThan(300);
  };
  const coupaSupplier = () => [...coupa.state.suppliers.all()].find((s) => s['number'] === supplierNumber);
  const puts = async () => ((await (await fetch(`${coupa.url}/__admin/calls`)).json()) as { items: { method: string; route: string | null }[] }).items.filter((c) => c.method === 'PUT' && (c.route ?? '').includes('suppliers')).length;

  beforeAll(async () => {
    coupa = await startProcurementSimulator({ port: 0, rateLimit: false });
    const seeded = await fetch(`${coupa.url}/__admin/suppliers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Schraubenwerk Müller GmbH', number: supplierNumber }) });
    expect(seeded.status).toBeLessThan(300);
    ns = await provisionTestNamespace();
    schema = await createTestSchema();
    const env = {
      FINMESH_COUPA_BASE_URL: coupa.url,
      FINMESH_COUPA_TOKEN_URL: `${coupa.url}/oauth2/token`,
      FINMESH_COUPA_CLIENT_ID: 'finmesh',
      FINMESH_COUPA_CLIENT_SECRET: 'finmesh-simulator-secret',
      FINMESH_COUPA_SCOPES: 'core.supplier.read core.supplier.write',
    };
    ({ app, url } = await startServiceUnderTest(supplierSyncService(env), { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }, env));
  });

  afterAll(async () => {
    await app?.close();
    await coupa?.close();
    await ns?.cleanup();
    if (schema) await dropTestSchema(schema);
  });

  it('puts the supplier on hold in procurement when the ERP blocks it, releases it on unblock, one call each', async () => {
    await pushFromErp({});
    const blockedAt = Date.now();
    await pushFromErp({ HoldFlag: true, HoldReason: 'Sanctions screening hit', HoldBy: 'AP.MANAGER' });
    await eventually('hold written back to procurement', async () => coupaSupplier()?.['on-hold'] === true, 30_000);
    const holdPropagationMs = Date.now() - blockedAt;
    expect(holdPropagationMs).toBeLessThan(30_000);
    await pushFromErp({ HoldFlag: false, LastUpdatedBy: 'AP.MANAGER' });
    await eventually('hold released in procurement', async () => coupaSupplier()?.['on-hold'] === false, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await puts()).toBe(2);

    const client = new PlatformHttpClient({
      platform: 'coupa',
      baseUrl: coupa.url,
      authorizer: new ClientCredentialsAuthorizer(
        { kind: 'oauth2-client-credentials', tokenUrl: `${coupa.url}/oauth2/token`, clientId: 'finmesh', clientSecret: new Secret('finmesh-simulator-secret'), scopes: ['core.supplier.read'], clientAuthentication: 'body' },
        { platform: 'coupa' },
      ),
    });
    expect(await procurementConvergence(client, { suppliers: new Map([[supplierNumber, { onHold: 'false' }]]) })).toEqual({ converged: true, differences: [] });
  });
});
