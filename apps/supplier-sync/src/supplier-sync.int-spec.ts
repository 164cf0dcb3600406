import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { nameBasedId } from '@finmesh/adapters';
import { topicNameFor } from '@finmesh/contracts';
import { mintDevToken, type Role } from '@finmesh/service-kit';
import { createTestSchema, dropTestSchema, eventually, provisionTestNamespace, startServiceUnderTest, TopicRecorder, withPg } from '@finmesh/testing';
import { SupplierSyncService } from './service';

const SECRET = 'supplier-sync-test-secret-0123456789abcdef';
const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../../../libs/adapters/src/erp/fixtures/fusion-supplier.json'), 'utf8')) as Record<string, unknown>;

describe('supplier-sync: ERP supplier master -> SupplierUpserted/Blocked/Unblocked', () => {
  let app: INestApplication;
  let url: string;
  let schema: string;
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let recorder: TopicRecorder;
  const supplierNumber = `T${Date.now()}`;
  const supplierId = nameBasedId('supplier', supplierNumber);
  let clock = Date.parse('2025-03-01T10:00:00Z');

  /** The fixture supplier as the ERP sends it after a change at a later LastUpdateDate. */
  function fusionSupplier(over: Record<string, unknown> = {}): Record<string, unknown> {
    clock += 60_000;
    return {
      ...FIXTURE,
      SupplierNumber: supplierNumber,
      LastUpdateDate: new Date(clock).toISOString(),
      bankAccounts: [{ ...(FIXTURE['bankAccounts'] as Record<string, unknown>[])[0], IBAN: 'NL91ABNA0417164300', CountryCode: 'NL' }],
      ...over,
    };
  }
  const token = (roles: Role[], clientId = 'fusion-prod') => mintDevToken({ clientId, roles, secret: SECRET });

  async function call(method: string, path: string, body?: unknown, auth?: string | null, key: string = randomUUID()) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'idempotency-key': key,
        ...(auth === null ? {} : { authorization: `Bearer ${auth ?? (await token(['erp-platform']))}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { problems?: { path: string }[] } };
  }

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    schema = await createTestSchema();
    ({ app, url } = await startServiceUnderTest(SupplierSyncService, { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }));
    recorder = await TopicRecorder.start(topicNameFor('SupplierUpserted', ns.prefix));
  });

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    await ns?.cleanup();
    if (schema) await dropTestSchema(schema);
  });

  it('creates a supplier (201) and publishes SupplierUpserted with the complete record', async () => {
    const r = await call('POST', '/v1/erp/suppliers', fusionSupplier());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ supplierId, supplierNumber, status: 'ACTIVE', version: 1, masked: false, legalEntity: { code: 'DE01' } });
    // The system of record gets its own data back unmasked.
    expect(r.body['bankAccounts']).toEqual([expect.objectContaining({ iban: 'NL91ABNA0417164300' })]);
    await eventually('SupplierUpserted on the topic', async () => recorder.of('SupplierUpserted', supplierId).length === 1, 15_000);
    const upserted = recorder.of('SupplierUpserted', supplierId)[0]!.value;
    expect(upserted).toMatchObject({ supplierId, legalName: 'Schraubenwerk Müller GmbH', status: 'ACTIVE', defaultCurrency: 'EUR' });
    expect(upserted['paymentTerms']).toEqual({ code: '2/10 Net 30', netDays: 30, discountPercent: '2.0000', discountDays: 10 });
  });

  it('publishes nothing for an identical re-send (200, same version)', async () => {
    const same = { ...fusionSupplier(), LastUpdateDate: new Date(clock - 60_000).toISOString() };
    clock -= 60_000;
    const r = await call('POST', '/v1/erp/suppliers', same);
    expect(r.status).toBe(200);
    expect(r.body['version']).toBe(1);
    await new Promise((res) => setTimeout(res, 1500));
    expect(recorder.of('SupplierUpserted', supplierId)).toHaveLength(1);
  });

  it('publishes SupplierBlocked within seconds of a hold placed in the ERP', async () => {
    const sent = Date.now();
    const r = await call('POST', '/v1/erp/suppliers', fusionSupplier({ HoldFlag: true, HoldReason: 'Sanctions screening hit', HoldBy: 'AP.MANAGER' }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'BLOCKED', version: 2, block: { scope: 'ALL', reasonCode: 'SUPPLIER_HOLD', reason: 'Sanctions screening hit', blockedBy: 'AP.MANAGER' } });
    await eventually('SupplierBlocked on the topic', async () => recorder.of('SupplierBlocked', supplierId).length === 1, 5_000);
    const blocked = recorder.of('SupplierBlocked', supplierId)[0]!;
    expect(blocked.seenAt - sent).toBeLessThan(3_000);
    expect(blocked.value).toMatchObject({ supplierId, scope: 'ALL', reasonCode: 'SUPPLIER_HOLD', blockedBy: 'AP.MANAGER' });
    expect(blocked.value['envelope']).toMatchObject({ sourcePlatform: 'ERP', legalEntity: { code: 'DE01' } });
    // The upsert carrying status BLOCKED comes first on the same key, in the same flow.
    const upserts = recorder.of('SupplierUpserted', supplierId);
    expect(upserts).toHaveLength(2);
    expect(upserts[1]!.value).toMatchObject({ status: 'BLOCKED' });
    expect(upserts[1]!.value.envelope.correlationId).toBe(blocked.value.envelope.correlationId);
  });

  it('publishes SupplierUnblocked when the hold is released', async () => {
    const r = await call('POST', '/v1/erp/suppliers', fusionSupplier({ HoldFlag: false, LastUpdatedBy: 'AP.MANAGER' }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ACTIVE', block: null, version: 3 });
    await eventually('SupplierUnblocked on the topic', async () => recorder.of('SupplierUnblocked', supplierId).length === 1, 5_000);
    expect(recorder.of('SupplierUnblocked', supplierId)[0]!.value).toMatchObject({ supplierId, scope: 'ALL', unblockedBy: 'AP.MANAGER' });
    expect(recorder.of('SupplierBlocked', supplierId)).toHaveLength(1);
  });

  it('audits every transition with actor, before/after summary (no bank details) and the emitted event id', async () => {
    const { rows } = await withPg((pg) =>
      pg.query<{ action: string; actor: string; before: Record<string, unknown> | null; after: Record<string, unknown>; causing_event_id: string; service: string }>(
        `SELECT action, actor, before, after, causing_event_id, service FROM finmesh_audit.audit_log WHERE entity_type = 'supplier' AND entity_id = $1 ORDER BY id`,
        [supplierId],
      ),
    );
    expect(rows.map((r) => r.action)).toEqual(['supplier.created', 'supplier.blocked', 'supplier.unblocked']);
    expect(rows.every((r) => r.actor === 'fusion-prod' && r.service.startsWith('supplier-sync'))).toBe(true);
    expect(rows[0]!.before).toBeNull();
    expect(rows[1]).toMatchObject({ before: { status: 'ACTIVE', version: 1 }, after: { status: 'BLOCKED', blockScope: 'ALL', version: 2 } });
    expect(rows[1]!.causing_event_id).toBe(recorder.of('SupplierBlocked', supplierId)[0]!.value.envelope.eventId);
    expect(rows[2]!.causing_event_id).toBe(recorder.of('SupplierUnblocked', supplierId)[0]!.value.envelope.eventId);
    expect(JSON.stringify(rows)).not.toContain('NL91ABNA0417164300');
  });

  it('refuses an older snapshot of the record (409), so a late retry cannot undo a newer change', async () => {
    const stale = { ...fusionSupplier({ HoldFlag: true }), LastUpdateDate: '2024-01-01T00:00:00Z' };
    const r = await call('POST', '/v1/erp/suppliers', stale);
    expect(r.status).toBe(409);
    expect(String(r.body['message'])).toMatch(/stale supplier record/);
  });

  it('masks bank accounts and tax ids for every role but erp-platform', async () => {
    for (const role of ['procurement-platform', 'ap-platform', 'finance-approver', 'ops'] as const) {
      const r = await call('GET', `/v1/suppliers/${supplierId}`, undefined, await token([role], `reader-${role}`));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ masked: true, status: 'ACTIVE' });
      // The BIC keeps only its bank code for readers other than the ERP (the one sensitive-data policy).
      expect(r.body['bankAccounts']).toEqual([expect.objectContaining({ iban: 'NL91**********4300', bic: 'COBA*******', maskedReference: '****4300' })]);
      expect(r.body['taxIds']).toEqual([
        { scheme: 'VAT', value: 'DE*******98', country: 'DE' },
        { scheme: 'TIN', value: '99*******45', country: 'DE' },
      ]);
    }
    const own = await call('GET', `/v1/suppliers/${supplierId}`, undefined, await token(['erp-platform']));
    expect(own.body).toMatchObject({ masked: false, taxIds: [expect.objectContaining({ value: 'DE129273398' }), expect.objectContaining({ value: '99015/12345' })] });
  });

  it('answers 404 for an unknown supplier', async () => {
    expect((await call('GET', `/v1/suppliers/${randomUUID()}`, undefined, await token(['ops']))).status).toBe(404);
    expect((await call('GET', '/v1/suppliers/not-a-uuid', undefined, await token(['ops']))).status).toBe(404);
  });

  it('answers 422 listing every bad field, and writes and publishes nothing', async () => {
    const badNumber = `BAD${Date.now()}`;
    const unmappable = { ...FIXTURE, SupplierNumber: badNumber, sites: [{ ...(FIXTURE['sites'] as object[])[0], PaymentTerms: 'whenever', ProcurementBU: 'Atlantis BU' }] };
    // The request schema first (shape, presence, formats), then the mapping (terms and BUs it knows).
    const r = await call('POST', '/v1/erp/suppliers', { ...unmappable, Supplier: null, LastUpdateDate: 'yesterday' });
    expect(r.status).toBe(422);
    expect((r.body.problems ?? []).map((p) => p.path)).toEqual(['Supplier', 'LastUpdateDate']);
    const mapped = await call('POST', '/v1/erp/suppliers', unmappable);
    expect(mapped.status).toBe(422);
    expect((mapped.body.problems ?? []).map((p) => p.path)).toEqual(expect.arrayContaining(['sites[0].PaymentTerms', 'sites[0].ProcurementBU']));
    const badId = nameBasedId('supplier', badNumber);
    expect((await call('GET', `/v1/suppliers/${badId}`, undefined, await token(['ops']))).status).toBe(404);
    await new Promise((res) => setTimeout(res, 1000));
    expect(recorder.events.filter((e) => e.key === badId)).toHaveLength(0);
  });

  it('refuses (403) a supplier of a legal entity outside the token\'s scope, and writes nothing', async () => {
    const otherNumber = `NL${Date.now()}`;
    const nlOnly = await mintDevToken({ clientId: 'fusion-nl', roles: ['erp-platform'], secret: SECRET, legalEntities: ['NL01'] });
    const r = await call('POST', '/v1/erp/suppliers', { ...fusionSupplier(), SupplierNumber: otherNumber }, nlOnly);
    expect(r.status).toBe(403);
    expect(r.body['detail']).toBe(`client 'fusion-nl' may act on legal entities [NL01]; supplier ${otherNumber} belongs to legal entity DE01`);
    expect((await call('GET', `/v1/suppliers/${nameBasedId('supplier', otherNumber)}`, undefined, await token(['ops']))).status).toBe(404);
  });

  it('answers 401 without a token and 403 for a role the endpoint does not admit', async () => {
    expect((await call('POST', '/v1/erp/suppliers', fusionSupplier(), null)).status).toBe(401);
    const procurement = await call('POST', '/v1/erp/suppliers', fusionSupplier(), await token(['procurement-platform'], 'coupa'));
    expect(procurement.status).toBe(403);
    expect((await call('GET', `/v1/suppliers/${supplierId}`, undefined, await token(['reporting-reader'], 'powerbi'))).status).toBe(403);
    expect((await call('GET', `/v1/suppliers/${supplierId}`, undefined, null)).status).toBe(401);
  });
});
