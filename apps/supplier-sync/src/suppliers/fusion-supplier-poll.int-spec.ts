import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { nameBasedId } from '@finmesh/adapters';
import { topicNameFor } from '@finmesh/contracts';
import { type ErpSimulator, startErpSimulator } from '@finmesh/erp-simulator';
import { createTestSchema, dropTestSchema, eventually, provisionTestNamespace, startServiceUnderTest, TopicRecorder } from '@finmesh/testing';
import { supplierSyncService } from '../supplier-sync-service';

const SECRET = 'supplier-poll-test-secret-0123456789abcdef';
/** Oracle-shaped supplier (libs/adapters fixture) as the ERP simulator serves it: no bank accounts child. */
const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../../../../libs/adapters/src/erp/fixtures/fusion-supplier.json'), 'utf8')) as Record<string, unknown>;

describe('supplier-sync polls Fusion suppliers', () => {
  let erp: ErpSimulator;
  let app: INestApplication;
  let recorder: TopicRecorder;
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let schema: string;
  const run = Date.now();

  const load = async (supplierNumber: string, extra: Record<string, unknown> = {}) => {
    // Without the fixture's own LastUpdateDate: the simulator stamps each change (or takes the test's override).
    const { bankAccounts: _none, SupplierId: _id, LastUpdateDate: _at, CreationDate: _created, ...supplier } = FIXTURE;
    const res = await fetch(`${erp.url}/__admin/suppliers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...supplier, SupplierNumber: supplierNumber, ...extra }),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as { SupplierId: number; LastUpdateDate: string };
  };

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    schema = await createTestSchema();
    erp = await startErpSimulator({ port: 0 });
    const pollEnv = {
      FINMESH_ERP_BASE_URL: erp.url,
      FINMESH_ERP_AUTH: 'oauth2',
      FINMESH_ERP_TOKEN_URL: `${erp.url}/oauth2/v1/token`,
      FINMESH_ERP_CLIENT_ID: 'finmesh',
      FINMESH_ERP_CLIENT_SECRET: 'finmesh-dev',
      FINMESH_ERP_POLL_INTERVAL_MS: '200',
      FINMESH_ERP_POLL_OVERLAP_MS: '5000',
      FINMESH_ERP_POLL_PAGE_SIZE: '2',
    };
    recorder = await TopicRecorder.start(topicNameFor('SupplierUpserted', ns.prefix));
    ({ app } = await startServiceUnderTest(supplierSyncService(pollEnv), { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }, pollEnv));
  });

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    await erp?.close();
    await ns?.cleanup();
    if (schema) await dropTestSchema(schema);
  });

  it('publishes each supplier changed in Fusion once, pages through them, and picks up a row committed late within the overlap', async () => {
    const numbers = [1, 2, 3, 4, 5].map((i) => `P${run}-${i}`);
    const loaded = [];
    for (const n of numbers) loaded.push(await load(n));
    const ids = numbers.map((n) => nameBasedId('supplier', n));
    await eventually('five suppliers polled', async () => ids.every((id) => recorder.of('SupplierUpserted', id).length === 1), 20_000);

    // Committed after the poll read past it, with an update time 1 s before the newest row read
    // (the watermark): only the overlapping window can find it.
    const newest = Date.parse(loaded[loaded.length - 1]!.LastUpdateDate);
    expect(Number.isNaN(newest)).toBe(false);
    const late = `P${run}-LATE`;
    await load(late, { LastUpdateDate: new Date(newest - 1000).toISOString() });
    await eventually('late supplier picked up by the overlap', async () => recorder.of('SupplierUpserted', nameBasedId('supplier', late)).length === 1, 20_000);

    // Overlapping windows re-read these rows every cycle: still one event each.
    await new Promise((r) => setTimeout(r, 1500));
    for (const id of [...ids, nameBasedId('supplier', late)]) expect(recorder.of('SupplierUpserted', id)).toHaveLength(1);
    const first = recorder.of('SupplierUpserted', ids[0]!)[0]!.value;
    expect(first).toMatchObject({ supplierId: ids[0], legalName: 'Schraubenwerk Müller GmbH', status: 'ACTIVE' });
  });

  it('publishes SupplierBlocked after a hold is placed on the supplier in Fusion', async () => {
    const blockedRecorder = await TopicRecorder.start(topicNameFor('SupplierBlocked', ns.prefix));
    try {
      const n = `P${run}-HOLD`;
      await load(n);
      const id = nameBasedId('supplier', n);
      await eventually('supplier polled', async () => recorder.of('SupplierUpserted', id).length === 1, 20_000);
      await load(n, { HoldFlag: true, HoldReason: 'Sanctions screening hit', HoldBy: 'AP.MANAGER' });
      await eventually('SupplierBlocked from the poll', async () => blockedRecorder.of('SupplierBlocked', id).length === 1, 20_000);
      expect(blockedRecorder.of('SupplierBlocked', id)[0]!.value).toMatchObject({ supplierId: id, scope: 'ALL', blockedBy: 'AP.MANAGER' });
    } finally {
      await blockedRecorder.stop();
    }
  });
});
