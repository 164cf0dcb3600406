import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { mintDevToken, type ServiceDefinition } from '@finmesh/service-kit';
import { Pool } from 'pg';
import { createTestSchema, dropTestSchema, provisionTestNamespace, startServiceUnderTest, testEnvironment } from '@finmesh/testing';
import { invoiceSyncService } from '@finmesh/invoice-sync';
import { PaymentSyncService } from '@finmesh/payment-sync';
import { poSyncService } from '@finmesh/po-sync';
import { SupplierSyncService } from '@finmesh/supplier-sync';
import { type ErpSimulator, startErpSimulator } from '@finmesh/erp-simulator';
import { alwaysInvalidBody, mutatedBody, type FuzzBody } from './bad-bodies';
import { writeEndpoints, type FuzzedService, type WriteEndpoint } from './write-endpoints';

const JWT_SECRET = 'http-fuzz-secret-0123456789abcdef0123456789';
/** Generated bodies per endpoint and phase: the quick profile in `npm test`; `npm run fuzz` runs 2000. */
const RUNS = Number(process.env['FINMESH_FUZZ_RUNS'] ?? '60');
const SEED = process.env['FINMESH_FUZZ_SEED'] === undefined ? undefined : Number(process.env['FINMESH_FUZZ_SEED']);

/** Statuses a write endpoint may answer to a bad body (README "HTTP APIs"): never a 5xx, 401/403 (tokens are right) or 429 (the fuzz client's limit is lifted). */
const DOCUMENTED = new Set([200, 201, 202, 400, 404, 409, 413, 415, 422]);

/**
 * Thousands of bad bodies against every write endpoint of the four services, on the real stack
 * (Kafka, registry, PostgreSQL, an ERP simulator), with fast-check: the seed is printed on a
 * failure (re-run with FINMESH_FUZZ_SEED). Two phases per endpoint:
 *  - always invalid (input limits, not JSON): refused (400/413/415/422), the 400s and 422s name
 *    the field path, and nothing reaches any service's outbox;
 *  - mutated valid bodies: whatever the endpoint decides, no 5xx, only documented statuses, and
 *    every 400/422 names the field paths.
 * Counts by endpoint, phase and status go to test-output/fuzz-http.json and are printed.
 */
describe('HTTP fuzz: every write endpoint refuses bad input clearly', () => {
  jest.setTimeout(600_000);
  let erp: ErpSimulator;
  let ns: { prefix: string; cleanup: () => Promise<void> };
  const apps: INestApplication[] = [];
  const schemas = new Map<FuzzedService, string>();
  const urls = new Map<FuzzedService, string>();
  const counts: Record<string, Record<string, number>> = {};
  const pool = new Pool({ connectionString: testEnvironment().databaseUrl, max: 1 });

  async function boot(service: FuzzedService, definition: (env: Record<string, string>) => ServiceDefinition): Promise<void> {
    const schema = await createTestSchema();
    schemas.set(service, schema);
    // The ERP simulator's dev user; no procurement/AP write-back targets (nothing to write back to here).
    // The fuzz client sends thousands of requests as fast as it can: it gets a limit of its own, so
    // the suite tests the endpoints, not the (separately tested) rate limits.
    const extra = {
      FINMESH_ERP_BASE_URL: erp.url,
      FINMESH_ERP_AUTH: 'basic',
      FINMESH_ERP_USERNAME: 'finmesh',
      FINMESH_ERP_PASSWORD: 'finmesh-dev',
      FINMESH_COUPA_POLL: 'off',
      FINMESH_RATE_LIMITS_BY_CLIENT: JSON.stringify({ fuzz: { write: '100000/s:100000' } }),
    };
    const running = await startServiceUnderTest(definition(extra), { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: JWT_SECRET }, extra);
    apps.push(running.app);
    urls.set(service, running.url);
  }

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    erp = await startErpSimulator({ port: 0 });
    await boot('supplier-sync', () => SupplierSyncService);
    await boot('po-sync', (e) => poSyncService(e));
    await boot('invoice-sync', (e) => invoiceSyncService(e));
    await boot('payment-sync', () => PaymentSyncService);
  }, 300_000);

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await erp?.close();
    await ns?.cleanup();
    await pool.end();
    for (const s of schemas.values()) await dropTestSchema(s);
    const total = Object.values(counts).reduce((n, byStatus) => n + Object.values(byStatus).reduce((a, b) => a + b, 0), 0);
    mkdirSync(join(process.cwd(), 'test-output'), { recursive: true });
    writeFileSync(join(process.cwd(), 'test-output', 'fuzz-http.json'), JSON.stringify({ runsPerPhase: RUNS, seed: SEED ?? null, total, byEndpointAndPhase: counts }, null, 2));
    console.log(`HTTP fuzz: ${total} requests; by endpoint/phase and status: ${JSON.stringify(counts)}`);
  });

  async function send(endpoint: WriteEndpoint, body: FuzzBody): Promise<{ status: number; problem: Record<string, unknown> }> {
    const token = await mintDevToken({ clientId: 'fuzz', roles: [endpoint.role], secret: JWT_SECRET });
    const res = await fetch(`${urls.get(endpoint.service)}${endpoint.path}`, {
      method: 'POST',
      headers: { 'content-type': body.contentType, authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
      body: body.text,
    });
    const text = await res.text();
    let problem: Record<string, unknown> = {};
    try {
      problem = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // a non-JSON answer is itself a failure below (problems missing)
    }
    return { status: res.status, problem };
  }

  function count(endpoint: WriteEndpoint, phase: string, status: number): void {
    const byStatus = (counts[`${endpoint.name} / ${phase}`] ??= {});
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
  }

  /** Every problem names a field path and a reason. */
  function namesPaths(problem: Record<string, unknown>): boolean {
    const problems = problem['problems'];
    return Array.isArray(problems) && problems.length > 0 && problems.every((p: { path?: unknown; reason?: unknown }) => typeof p.path === 'string' && p.path !== '' && typeof p.reason === 'string');
  }

  async function outboxHighWater(): Promise<string> {
    const parts: string[] = [];
    for (const schema of schemas.values()) {
      const { rows } = await pool.query<{ max: string }>(`SELECT coalesce(max(id), 0)::text AS max FROM "${schema}".finmesh_outbox`);
      parts.push(rows[0]?.max ?? '0');
    }
    return parts.join(',');
  }

  it('fuzzes every write endpoint the services document', async () => {
    const documented: string[] = [];
    for (const url of urls.values()) {
      const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      for (const [path, operations] of Object.entries(doc.paths)) if ('post' in operations || 'put' in operations || 'patch' in operations) documented.push(path);
    }
    const fuzzed = writeEndpoints().map((e) => e.path.replace(/\/(4711|[0-9a-f-]{36})\//, '/{id}/'));
    expect(fuzzed.sort()).toEqual(documented.sort());
  });

  for (const endpoint of writeEndpoints()) {
    it(`${endpoint.name}: refuses bodies breaking the input limits or not JSON, naming the path, publishing nothing`, async () => {
      const before = await outboxHighWater();
      await fc.assert(
        fc.asyncProperty(alwaysInvalidBody(endpoint.seed), async (body) => {
          const { status, problem } = await send(endpoint, body);
          count(endpoint, 'always invalid', status);
          if (![400, 413, 415, 422].includes(status)) throw new Error(`${body.kind}: answered ${status}`);
          if ((status === 400 || status === 422) && !namesPaths(problem)) throw new Error(`${body.kind}: ${status} without field paths: ${JSON.stringify(problem).slice(0, 300)}`);
          if (problem['status'] !== status || typeof problem['title'] !== 'string') throw new Error(`${body.kind}: ${status} is not problem+json`);
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      expect(await outboxHighWater()).toBe(before);
    });

    it(`${endpoint.name}: answers mutated bodies without a 5xx, with documented statuses, naming the paths of 400/422`, async () => {
      await fc.assert(
        fc.asyncProperty(mutatedBody(endpoint.seed), async (body) => {
          const { status, problem } = await send(endpoint, body);
          count(endpoint, 'mutated', status);
          if (!DOCUMENTED.has(status)) throw new Error(`${body.kind}: answered ${status}: ${JSON.stringify(problem).slice(0, 400)}`);
          if ((status === 400 || status === 422) && !namesPaths(problem)) throw new Error(`${body.kind}: ${status} without field paths: ${JSON.stringify(problem).slice(0, 400)}`);
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
    });
  }
});
