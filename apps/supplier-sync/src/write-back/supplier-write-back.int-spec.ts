import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { AP_CONNECTION, COUPA_CONNECTION, deliveryHistory, ensureDeliveryTables, platformClient, readPlatformConnection, type DeliveryTiming } from '@finmesh/connectors';
import { nameBasedId } from '@finmesh/adapters';
import { apConvergence, procurementConvergence } from '@finmesh/ops';
import { type ApSimulator, startApSimulator } from '@finmesh/ap-simulator';
import { type ProcurementSimulator, startProcurementSimulator } from '@finmesh/procurement-simulator';
import { mintDevToken } from '@finmesh/service-kit';
import { createTestSchema, dropTestSchema, eventually, provisionTestNamespace, startServiceUnderTest, testEnvironment } from '@finmesh/testing';
import { supplierSyncService } from '../supplier-sync-service';

const SECRET = 'supplier-write-back-secret-0123456789abcdef';
const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../../../../libs/adapters/src/erp/fixtures/fusion-supplier.json'), 'utf8')) as Record<string, unknown>;

interface Sim {
  readonly url: string;
  readonly state: { readonly suppliers: { all(): Record<string, unknown>[] }; readonly supplierAddresses: { all(): Record<string, unknown>[] } };
}

/**
 * supplier-sync writes what the ERP holds about a supplier back to procurement (the Coupa
 * simulator) and AP (the AP simulator): its master data, created where absent, and its holds.
 */
describe('supplier write-back to procurement and AP', () => {
  let coupa: ProcurementSimulator;
  let ap: ApSimulator;
  let app: INestApplication;
  let url: string;
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let schema: string;
  let pool: Pool;
  let env: Record<string, string>;
  const run = Date.now().toString(36);
  let clock = Date.now() - 3_600_000;

  const pushFromErp = async (supplierNumber: string, over: Record<string, unknown> = {}): Promise<string> => {
    clock += 60_000;
    const res = await fetch(`${url}/v1/erp/suppliers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${await mintDevToken({ clientId: 'fusion', roles: ['erp-platform'], secret: SECRET })}` },
      body: JSON.stringify({ ...FIXTURE, SupplierNumber: supplierNumber, Supplier: `Schraubenwerk ${supplierNumber}`, LastUpdateDate: new Date(clock).toISOString(), ...over }),
    });
    expect(res.status).toBeLessThan(300);
    return String(((await res.json()) as { supplierId: string }).supplierId);
  };
  const supplierIn = (sim: Sim, number: string) => sim.state.suppliers.all().filter((s) => s['number'] === number);
  const calls = async (sim: Sim, method: string, route: string) =>
    ((await (await fetch(`${sim.url}/__admin/calls`)).json()) as { items: { method: string; route: string | null; status: number }[] }).items.filter((c) => c.method === method && c.route === `${method} ${route}` && c.status < 300).length;
  const deliveries = async (sink: string): Promise<DeliveryTiming[]> => deliveryHistory(pool, schema, { sink, limit: 10_000 });
  const client = (rules: typeof COUPA_CONNECTION) => platformClient(readPlatformConnection(env, rules).settings!);

  beforeAll(async () => {
    coupa = await startProcurementSimulator({ port: 0, rateLimit: false });
    ap = await startApSimulator({ port: 0, rateLimit: false });
    ns = await provisionTestNamespace();
    schema = await createTestSchema();
    pool = new Pool({ connectionString: testEnvironment().databaseUrl, max: 2 });
    await ensureDeliveryTables(pool, schema);
    env = {
      FINMESH_COUPA_BASE_URL: coupa.url,
      FINMESH_COUPA_TOKEN_URL: `${coupa.url}/oauth2/token`,
      FINMESH_COUPA_CLIENT_ID: 'finmesh',
      FINMESH_COUPA_CLIENT_SECRET: 'finmesh-simulator-secret',
      FINMESH_COUPA_DELIVERY_BREAKER_COOLDOWN_MS: '2000',
      FINMESH_AP_BASE_URL: ap.url,
      FINMESH_AP_TOKEN_URL: `${ap.url}/oauth2/token`,
      FINMESH_AP_CLIENT_ID: 'finmesh',
      FINMESH_AP_CLIENT_SECRET: 'finmesh-ap-simulator-secret',
      FINMESH_CONSUMER_INITIAL_BACKOFF_MS: '100',
      FINMESH_CONSUMER_MAX_BACKOFF_MS: '1000',
    };
    ({ app, url } = await startServiceUnderTest(supplierSyncService(env), { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }, env));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await coupa?.close();
    await ap?.close();
    await pool?.end();
    await ns?.cleanup();
    if (schema) await dropTestSchema(schema);
  });

  it('creates the supplier with its remit-to in both platforms, then updates only what changed; no bank details', async () => {
    const number = `M${run}`;
    await pushFromErp(number);
    for (const sim of [coupa, ap] as Sim[]) {
      await eventually(`supplier ${number} created`, async () => supplierIn(sim, number).length === 1, 30_000);
    }
    await pushFromErp(number, { Supplier: `Schraubenwerk ${number} AG` });
    for (const sim of [coupa, ap] as Sim[]) {
      await eventually('name updated', async () => supplierIn(sim, number)[0]?.['name'] === `Schraubenwerk ${number} AG`, 30_000);
      const [supplier] = supplierIn(sim, number);
      const remitTo = sim.state.supplierAddresses.all().filter((a) => a['supplier-id'] === supplier!['id']);
      expect(remitTo.length).toBeGreaterThan(0);
      expect(remitTo.every((a) => a['external-src-name'] === 'finmesh' && a['active'] === true)).toBe(true);
      expect(JSON.stringify([supplier, remitTo])).not.toMatch(/iban|account-number|bank/i);
      expect(await calls(sim, 'POST', '/api/suppliers')).toBe(1);
    }
    const expected = new Map([[number, { name: `Schraubenwerk ${number} AG`, status: 'active', onHold: 'false' }]]);
    expect(await procurementConvergence(client(COUPA_CONNECTION), { suppliers: expected })).toEqual({ converged: true, differences: [] });
    expect(await apConvergence(client(AP_CONNECTION), { suppliers: expected })).toEqual({ converged: true, differences: [] });
  });

  it('a crash between the platform 2xx and the ledger commit leaves one supplier under its number', async () => {
    const number = `C${run}`;
    // The first delivered mark of this sink fails: the transaction rolls back after Coupa took the
    // POST. A sequence counts the marks, since nextval survives the rollback.
    await pool.query(`CREATE SEQUENCE "${schema}".delivered_marks`);
    await pool.query(`
      CREATE OR REPLACE FUNCTION "${schema}".fail_first_delivered() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'delivered' AND NEW.sink = 'coupa:supplier-master' AND NEW.natural_key = '${nameBasedId('supplier', number)}' THEN
          IF nextval('"${schema}".delivered_marks') = 1 THEN
            RAISE EXCEPTION 'simulated crash after the platform answered';
          END IF;
        END IF;
        RETURN NEW;
      END $$`);
    await pool.query(`CREATE TRIGGER crash_after_2xx BEFORE INSERT OR UPDATE ON "${schema}".finmesh_delivery_ledger FOR EACH ROW EXECUTE FUNCTION "${schema}".fail_first_delivered()`);
    try {
      const supplierId = await pushFromErp(number);
      await eventually('delivered after the crash', async () => (await deliveries('coupa:supplier-master')).some((d) => d.businessKey === supplierId && d.status === 'delivered'), 30_000);
      const [row] = (await deliveries('coupa:supplier-master')).filter((d) => d.businessKey === supplierId);
      expect(row!.attempts).toBeGreaterThanOrEqual(2);
      expect((await pool.query(`SELECT last_value::int AS n FROM "${schema}".delivered_marks`)).rows[0].n).toBeGreaterThanOrEqual(2);
      expect(supplierIn(coupa, number)).toHaveLength(1);
      expect(coupa.state.supplierAddresses.all().filter((a) => a['supplier-id'] === supplierIn(coupa, number)[0]!['id'] && a['active'] === true)).toHaveLength(1);
    } finally {
      await pool.query(`DROP TRIGGER crash_after_2xx ON "${schema}".finmesh_delivery_ledger`);
    }
  });

  it('holds reach both platforms within 2 s of detection (p99, at rest), one PUT per change', async () => {
    const numbers = [0, 1, 2].map((i) => `H${run}${i}`);
    const ids = new Map<string, string>();
    for (const n of numbers) ids.set(n, await pushFromErp(n));
    for (const n of numbers) await eventually('created in AP', async () => supplierIn(ap as Sim, n).length === 1 && supplierIn(coupa as Sim, n).length === 1, 30_000);
    const putsBefore = [await calls(coupa, 'PUT', '/api/suppliers/:id'), await calls(ap, 'PUT', '/api/suppliers/:id')];
    const toggles = 40;
    for (let i = 0; i < toggles; i++) {
      const n = numbers[i % numbers.length]!;
      await pushFromErp(n, Math.floor(i / numbers.length) % 2 === 0 ? { HoldFlag: true, HoldReason: 'Sanctions screening hit' } : {});
      await new Promise((r) => setTimeout(r, 150));
    }
    const supplierIds = new Set(ids.values());
    const complete = async () => {
      const rows = [...(await deliveries('coupa:supplier-holds')), ...(await deliveries('ap:supplier-holds'))].filter((d) => d.businessKey !== null && supplierIds.has(d.businessKey) && d.status === 'delivered');
      const byEvent = new Map<string, DeliveryTiming[]>();
      for (const r of rows) byEvent.set(r.eventId, [...(byEvent.get(r.eventId) ?? []), r]);
      return [...byEvent.values()].filter((rs) => rs.length === 2);
    };
    await eventually('every hold change delivered to both platforms', async () => (await complete()).length === toggles, 60_000);
    const latencies = (await complete()).map((rs) => Math.max(...rs.map((r) => r.deliveredAt!.getTime())) - rs[0]!.committedAt!.getTime()).sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.ceil((q / 100) * latencies.length) - 1]!;
    process.stdout.write(`hold propagation to procurement and AP: p50 ${p(50)} ms, p99 ${p(99)} ms, n=${latencies.length}\n`);
    expect(p(99)).toBeLessThanOrEqual(2000);
    expect([await calls(coupa, 'PUT', '/api/suppliers/:id'), await calls(ap, 'PUT', '/api/suppliers/:id')]).toEqual(putsBefore.map((n) => n + toggles));
    const expected = new Map(numbers.map((n) => [n, { onHold: 'true' }]));
    // 40 toggles over 3 suppliers: each ended on a block (i / 3 = 13 is odd for the last round: released).
    for (const n of numbers) expected.set(n, { onHold: String(Math.floor((toggles - 1 - numbers.indexOf(n)) / numbers.length) % 2 === 0) });
    expect(await procurementConvergence(client(COUPA_CONNECTION), { suppliers: expected })).toEqual({ converged: true, differences: [] });
    expect(await apConvergence(client(AP_CONNECTION), { suppliers: expected })).toEqual({ converged: true, differences: [] });
  }, 120_000);

  it('through 30 s of 429 and 5xx from procurement: every hold delivered once, in order per supplier; the breaker opens and closes', async () => {
    const numbers = [0, 1, 2, 3].map((i) => `S${run}${i}`);
    const ids = new Map<string, string>();
    for (const n of numbers) ids.set(n, await pushFromErp(n));
    for (const n of numbers) await eventually('created', async () => supplierIn(coupa as Sim, n).length === 1, 30_000);
    const arm = (body: Record<string, unknown>) => fetch(`${coupa.url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // Alternating throttling and outage, on every API route, for 30 s.
    for (let i = 0; i < 50; i++) {
      expect((await arm(i % 2 === 0 ? { kind: 'rate-limit', times: 20, retryAfterSeconds: 1 } : { kind: 'http-5xx', status: 503, times: 20 })).status).toBe(201);
    }
    const stormStart = Date.now();
    const toggles = 5;
    for (let round = 0; round < toggles; round++) {
      for (const n of numbers) await pushFromErp(n, round % 2 === 0 ? { HoldFlag: true, HoldReason: 'storm' } : {});
      await new Promise((r) => setTimeout(r, 2000));
    }
    const metrics = async () => (await (await fetch(`${url}/metrics`)).text());
    await eventually('the breaker opened', async () => /finmesh_delivery_breaker_state\{[^}]*platform="coupa",state="open"[^}]*\} 1/.test(await metrics()) || /outcome="circuit_open"/.test(await metrics()), 30_000);
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - stormStart))));
    await fetch(`${coupa.url}/__admin/faults`, { method: 'DELETE' });
    const supplierIds = new Set(ids.values());
    const holds = async () => (await deliveries('coupa:supplier-holds')).filter((d) => d.businessKey !== null && supplierIds.has(d.businessKey));
    await eventually('every storm change delivered', async () => (await holds()).filter((d) => d.status === 'delivered').length === toggles * numbers.length, 40_000);
    expect(await metrics()).toMatch(/finmesh_delivery_breaker_state\{[^}]*platform="coupa",state="closed"[^}]*\} 1/);
    expect(await metrics()).toMatch(/finmesh_deliveries_total\{[^}]*platform="coupa",flow="supplier-holds",outcome="circuit_open"[^}]*\} [1-9]/);
    // In order per supplier: the deliveries of one supplier landed in the order its changes were committed.
    for (const id of supplierIds) {
      const rows = (await holds()).filter((d) => d.businessKey === id);
      const byCommit = [...rows].sort((a, b) => a.committedAt!.getTime() - b.committedAt!.getTime()).map((d) => d.eventId);
      const byDelivery = [...rows].sort((a, b) => a.deliveredAt!.getTime() - b.deliveredAt!.getTime()).map((d) => d.eventId);
      expect(byDelivery).toEqual(byCommit);
    }
    // Once each: every change one delivered row, and the final state is the last change's (a block).
    expect((await holds()).every((d) => d.status === 'delivered')).toBe(true);
    for (const n of numbers) expect(supplierIn(coupa as Sim, n)[0]!['on-hold']).toBe(true);
  }, 60_000);
});
