import { Pool } from 'pg';
import { type ErpSimulator, startErpSimulator } from '@finmesh/erp-simulator';
import { exited, printed, spawnTestProcess, testEnvironment, uniqueName } from '@finmesh/testing';
import { ensurePollTables } from './poll-tables';

/**
 * kill -9 of a polling process mid-page, on the real PostgreSQL and the ERP simulator over HTTP:
 * the page being applied is rolled back with its ledger entries and watermark, the restarted
 * poller re-reads it, and every supplier is applied exactly once.
 */
const env = testEnvironment();

describe('a Fusion poller killed mid-page', () => {
  let pool: Pool;
  let erp: ErpSimulator;
  let schema: string;
  const SUPPLIERS = 40;

  beforeAll(async () => {
    pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
    schema = uniqueName('pollcrash').replace(/-/g, '_');
    await ensurePollTables(pool, schema);
    await pool.query(`CREATE TABLE "${schema}".applied (record_key text NOT NULL, version text NOT NULL)`);
    erp = await startErpSimulator({ port: 0 });
    for (let i = 0; i < SUPPLIERS; i++) {
      const res = await fetch(`${erp.url}/__admin/suppliers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ SupplierNumber: `K-${i}`, Supplier: `Crash Test Supplier ${i}` }),
      });
      expect(res.status).toBe(201);
    }
  });

  afterAll(async () => {
    await erp?.close();
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  });

  const count = async (sql: string): Promise<number> => Number((await pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  const appliedRows = () => count(`SELECT count(*)::text AS n FROM "${schema}".applied`);

  it('loses and doubles nothing', async () => {
    const processEnv = { FINMESH_DB_URL: env.databaseUrl, POLL_SCHEMA: schema, ERP_URL: erp.url, POLL_PAGE_SIZE: '5', POLL_APPLY_DELAY_MS: '40' };
    const first = spawnTestProcess('poller-process', processEnv);
    await printed(first, 'poller started');
    // Let a few pages commit, then kill while the next one is being applied (5 x 40 ms per page).
    const deadline = Date.now() + 30_000;
    while ((await appliedRows()) < 12 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 60));
    first.kill('SIGKILL');
    expect(await exited(first)).toBe('SIGKILL');
    const afterKill = await appliedRows();
    expect(afterKill).toBeGreaterThanOrEqual(10);
    expect(afterKill).toBeLessThan(SUPPLIERS);
    // Whole pages only: the killed page's rows went with its transaction.
    expect(afterKill % 5).toBe(0);

    const second = spawnTestProcess('poller-process', processEnv);
    try {
      await printed(second, 'poller started');
      const until = Date.now() + 60_000;
      while ((await appliedRows()) < SUPPLIERS && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      // A few more cycles (each re-reads the overlap): still nothing applied twice.
      await new Promise((r) => setTimeout(r, 500));
      const perKey = await pool.query<{ record_key: string; n: string }>(`SELECT record_key, count(*)::text AS n FROM "${schema}".applied GROUP BY record_key`);
      expect(perKey.rows).toHaveLength(SUPPLIERS);
      expect(perKey.rows.every((r) => r.n === '1')).toBe(true);
      expect(await count(`SELECT count(*)::text AS n FROM "${schema}".finmesh_poll_ledger WHERE resource = 'suppliers' AND outcome = 'applied'`)).toBe(SUPPLIERS);
    } finally {
      second.kill('SIGKILL');
      await exited(second);
    }
  });
});
