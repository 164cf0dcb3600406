/**
 * `npm run bench:write-back [-- --suppliers 24 --changes 600 --at-rest 100]`
 *
 * Outbound write-back on the real local stack: supplier-sync writes supplier holds to the
 * procurement simulator (Coupa suppliers API: GET by number, PUT on-hold) through its
 * PlatformSink (own consumer group, delivery ledger, breaker, token bucket). Measured in one run:
 *   1. sink_backlog_dps: N hold changes made while the write-back was off, then delivered by the
 *      sink from its consumer group's backlog: first attempt to last delivered mark, with the
 *      platform budget set out of the way (the mechanism's own cost);
 *   2. raw_call_dps (the reference): the same GET + PUT pairs made straight to the simulator with
 *      the same OAuth client and the concurrency the sink consumes with (4 partitions at once);
 *   3. at-rest propagation: one change at a time, from supplier-sync's commit of the event
 *      (outbox) to the ledger's delivered mark after procurement's 2xx; p50/p99/max;
 *   4. budgeted_dps: a burst of changes with the production default budget (10 calls/s, burst 20),
 *      to show the rate limiter keeps the platform under its limit (no 429 from the simulator).
 * Prints the figures and writes bench/results/write-back.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { COUPA_CONNECTION, deliveryHistory, ensureDeliveryTables, platformClient, readPlatformConnection, type DeliveryTiming } from '@finmesh/connectors';
import { startProcurementSimulator } from '@finmesh/procurement-simulator';
import { mintDevToken } from '@finmesh/service-kit';
import { supplierSyncService } from '@finmesh/supplier-sync';
import { createTestSchema, dropTestSchema, provisionTestNamespace, startServiceUnderTest, testEnvironment } from '@finmesh/testing';
import { cliInt, perSecond, REPO_ROOT, runCli } from '../backbone/bench-support';

const SUPPLIER = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'libs/adapters/src/erp/fixtures/fusion-supplier.json'), 'utf8')) as Record<string, unknown>;
const SECRET = 'bench-write-back-secret-0123456789abcdef0123';
const SINK = 'coupa:supplier-holds';
const CONCURRENCY = 4;

function progress(message: string): void {
  process.stderr.write(`[bench:write-back] ${message}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

async function main(): Promise<Record<string, unknown>> {
  const argv = process.argv.slice(2);
  const supplierCount = cliInt(argv, 'suppliers', 24);
  const changes = cliInt(argv, 'changes', 600);
  const atRest = cliInt(argv, 'at-rest', 100);
  const budgeted = cliInt(argv, 'budgeted', 60);
  const run = Date.now().toString(36);

  const coupa = await startProcurementSimulator({ port: 0, rateLimit: { requestsPerSecond: 25, burst: 20 } });
  const ns = await provisionTestNamespace();
  const schema = await createTestSchema();
  const pool = new Pool({ connectionString: testEnvironment().databaseUrl, max: 2 });
  const numbers = Array.from({ length: supplierCount }, (_, i) => `WB${run}${i}`);
  const coupaEnv = {
    FINMESH_COUPA_BASE_URL: coupa.url,
    FINMESH_COUPA_TOKEN_URL: `${coupa.url}/oauth2/token`,
    FINMESH_COUPA_CLIENT_ID: 'finmesh',
    FINMESH_COUPA_CLIENT_SECRET: 'finmesh-simulator-secret',
  };
  const unbudgeted = { ...coupaEnv, FINMESH_COUPA_DELIVERY_RATE_PER_SECOND: '10000', FINMESH_COUPA_DELIVERY_BURST: '10000' };
  let clock = Date.now() - 3_600_000;
  const held = new Map<string, boolean>();
  const token = await mintDevToken({ clientId: 'fusion', roles: ['erp-platform'], secret: SECRET, expiresIn: '2h' });
  const push = async (url: string, number: string, hold: boolean): Promise<void> => {
    clock += 1000;
    const res = await fetch(`${url}/v1/erp/suppliers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${token}` },
      body: JSON.stringify({ ...SUPPLIER, SupplierNumber: number, Supplier: `Bench supplier ${number}`, HoldFlag: hold, HoldReason: hold ? 'bench' : null, LastUpdateDate: new Date(clock).toISOString() }),
    });
    if (res.status >= 300) throw new Error(`push ${number}: HTTP ${res.status} ${await res.text()}`);
    held.set(number, hold);
  };
  const toggle = (url: string, i: number) => {
    const n = numbers[i % numbers.length]!;
    return push(url, n, !(held.get(n) ?? false));
  };
  const delivered = async (): Promise<DeliveryTiming[]> => (await deliveryHistory(pool, schema, { sink: SINK, limit: 100_000 })).filter((d) => d.status === 'delivered');
  const waitDelivered = async (count: number, timeoutMs: number): Promise<DeliveryTiming[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await delivered();
      if (rows.length >= count) return rows;
      if (Date.now() > deadline) throw new Error(`only ${rows.length} of ${count} deliveries after ${timeoutMs} ms`);
      await sleep(50);
    }
  };
  const boot = (env: Record<string, string>) => startServiceUnderTest(supplierSyncService(env), { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }, env);
  try {
    // The service creates it when its sink starts; created here so the waits can read it before.
    await ensureDeliveryTables(pool, schema);
    for (const n of numbers) {
      const res = await fetch(`${coupa.url}/__admin/suppliers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `Bench supplier ${n}`, number: n }) });
      if (res.status >= 300) throw new Error(`seeding ${n}: HTTP ${res.status}`);
    }

    // Reference: the same GET + PUT pairs straight to the simulator, same client, same concurrency.
    const connection = readPlatformConnection(coupaEnv, COUPA_CONNECTION);
    if (!connection.settings) throw new Error(`coupa connection: ${connection.problems.join('; ')}`);
    const client = platformClient(connection.settings);
    coupa.state.rateLimiter.configure(false);
    progress(`reference: ${changes} GET + PUT pairs straight to the simulator, ${CONCURRENCY} at a time`);
    const rawStart = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < changes; i = next++) {
          const number = numbers[i % numbers.length]!;
          const found = await client.request({ method: 'GET', path: '/api/suppliers', operation: 'GET suppliers', query: { number } });
          const id = String((found.body as Array<{ id: number }>)[0]!.id);
          await client.request({ method: 'PUT', path: `/api/suppliers/${id}`, operation: 'PUT suppliers', body: { 'on-hold': i % 2 === 0 } });
        }
      }),
    );
    const rawMs = Date.now() - rawStart;
    for (const n of numbers) await client.request({ method: 'PUT', path: `/api/suppliers/${String(((await client.request({ method: 'GET', path: '/api/suppliers', operation: 'GET', query: { number: n } })).body as Array<{ id: number }>)[0]!.id)}`, operation: 'PUT', body: { 'on-hold': false } });

    progress(`backlog: ${changes} hold changes with the write-back off`);
    const off = await boot({});
    for (const n of numbers) await push(off.url, n, false);
    for (let i = 0; i < changes; i++) await toggle(off.url, i);
    await off.app.close();

    progress('write-back on (budget out of the way): delivering the backlog');
    const sinkStart = Date.now();
    const on = await boot(unbudgeted);
    let backlogRows: DeliveryTiming[];
    try {
      backlogRows = await waitDelivered(changes, 600_000);
    } finally {
      await on.app.close();
    }
    const bootToLastMs = Date.now() - sinkStart;
    const firstAttempt = Math.min(...backlogRows.map((r) => r.firstAttemptAt.getTime()));
    const lastDelivered = Math.max(...backlogRows.map((r) => r.deliveredAt!.getTime()));
    const backlogMs = lastDelivered - firstAttempt;

    progress(`at rest: ${atRest} changes, one at a time`);
    const rest = await boot(unbudgeted);
    const latencies: number[] = [];
    try {
      for (let i = 0; i < atRest; i++) {
        const before = (await delivered()).length;
        await toggle(rest.url, i);
        const rows = await waitDelivered(before + 1, 30_000);
        const newest = rows.reduce((a, b) => (a.deliveredAt! > b.deliveredAt! ? a : b));
        if (newest.committedAt) latencies.push(newest.deliveredAt!.getTime() - newest.committedAt.getTime());
      }
    } finally {
      await rest.app.close();
    }
    latencies.sort((a, b) => a - b);

    progress(`budgeted: ${budgeted} changes at once with the default Coupa budget (10 calls/s, burst 20)`);
    coupa.state.rateLimiter.configure({ requestsPerSecond: 25, burst: 20 });
    const callsBefore = coupa.state.calls.list().at(-1)?.seq ?? 0;
    const budget = await boot(coupaEnv);
    let budgetMs: number;
    try {
      const before = (await delivered()).length;
      const start = Date.now();
      for (let i = 0; i < budgeted; i++) await toggle(budget.url, i);
      await waitDelivered(before + budgeted, 120_000);
      budgetMs = Date.now() - start;
    } finally {
      await budget.app.close();
    }
    const budgetCalls = coupa.state.calls.list({ since: callsBefore }).filter((c) => c.route !== null && c.route.includes('suppliers'));
    const tooMany = budgetCalls.filter((c) => c.status === 429).length;

    const result = {
      benchmark: 'write-back',
      measuredAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      settings: { suppliers: supplierCount, changes, atRest, budgeted, concurrency: CONCURRENCY, callsPerDelivery: 2 },
      sink_backlog_dps: perSecond(changes, backlogMs),
      sink_backlog_ms: backlogMs,
      service_start_to_last_delivery_ms: bootToLastMs,
      raw_call_dps: perSecond(changes, rawMs),
      sink_vs_raw: Math.round((perSecond(changes, backlogMs) / perSecond(changes, rawMs)) * 1000) / 1000,
      at_rest_commit_to_delivered_ms: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1], n: latencies.length },
      budgeted_dps: perSecond(budgeted, budgetMs),
      budgeted_calls_per_second: perSecond(budgetCalls.length, budgetMs),
      budgeted_429s: tooMany,
    };
    fs.mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'bench/results/write-back.json'), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await pool.end();
    await coupa.close();
    await ns.cleanup();
    await dropTestSchema(schema);
  }
}

runCli(main);
