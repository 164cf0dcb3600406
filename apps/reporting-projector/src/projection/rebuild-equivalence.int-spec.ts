import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import pino from 'pino';
import { prefixedTopics } from '@finmesh/contracts';
import { fetchConsumerLag } from '@finmesh/ops';
import { rebuildReadModels, tableChecksum, type TableChecksum } from '@finmesh/projection';
import { mintDevToken } from '@finmesh/service-kit';
import {
  createTestSchema,
  dropTestSchema,
  encodeHistory,
  env,
  eventually,
  produceHistory,
  provisionTestNamespace,
  seededShuffle,
  sourceToPayHistory,
  startServiceUnderTest,
  testCodec,
  testKafka,
} from '@finmesh/testing';
import { REPORTING_PROJECTION } from '../read-models/reporting-projection';
import { LiveProjection } from './live-projection';
import { ReportingProjectorService } from '../service';

const SECRET = 'rebuild-equivalence-secret-0123456789';
const LIVE_TABLES = REPORTING_PROJECTION.tables.filter((t) => !t.observational);

/**
 * The rebuild's promise: read models rebuilt from the topics' history equal the incrementally
 * maintained ones, table by table (same checksum), even when the live projector saw events out of
 * order and twice, and the switch-over loses nothing the live side keeps writing.
 */
describe('reporting read models: rebuild by replay equals the live projection', () => {
  // Above the sum of the test's own waits (each `eventually` names its step when it runs out), so
  // that a slow step on a loaded CI machine fails with that name instead of Jest's bare timeout.
  jest.setTimeout(420_000);
  const kafka = testKafka();
  const codec = testCodec();
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let schema: string;
  let app: INestApplication;
  let url: string;
  let pool: Pool;

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    schema = await createTestSchema();
    pool = new Pool({ connectionString: env.databaseUrl, max: 4 });
    ({ app, url } = await startServiceUnderTest(ReportingProjectorService, { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }));
  });

  afterAll(async () => {
    await app?.close();
    await pool?.end();
    await dropTestSchema(schema);
    for (const extra of [`${schema}_rebuild`, `${schema}_retired`]) await dropTestSchema(extra).catch(() => undefined);
    await ns?.cleanup();
  });

  /** An in-process rebuild left in the staging schema, for comparison with the live tables. */
  const rebuildIntoStaging = () =>
    rebuildReadModels({
      kafka,
      pool,
      codec,
      projection: REPORTING_PROJECTION,
      schema,
      topics: prefixedTopics(ns.prefix).map((t) => t.name),
      logger: pino({ level: 'silent' }),
      switchOver: false,
    });
  const checksums = async (where: string): Promise<TableChecksum[]> => Promise.all(LIVE_TABLES.map((t) => tableChecksum(pool, where, t)));
  const projectedEvents = async () => Number((await pool.query(`SELECT count(*) FROM "${schema}".projection_latency`)).rows[0].count);
  const caughtUp = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const groupId = app.get(LiveProjection).groupId;
      const [group] = await fetchConsumerLag({ admin, groupIds: [groupId], topics: prefixedTopics(ns.prefix).map((t) => t.name) });
      return group !== undefined && group.partitions.length > 0 && group.totalLag === '0';
    } finally {
      await admin.disconnect();
    }
  };

  it('rebuilt tables have the same checksums as the live ones after out-of-order and duplicate deliveries; the switch keeps live writes', async () => {
    const history = [...sourceToPayHistory({ flows: 250, seed: 41 })];
    const records = await encodeHistory(codec, history, ns.prefix);
    // Out of order: a seeded shuffle puts e.g. InvoicePosted before InvoiceReceived in a partition.
    // Duplicates: every 7th record is produced a second time, later.
    const duplicates = records.filter((_, i) => i % 7 === 0);
    await produceHistory(kafka, seededShuffle([...records, ...duplicates], 42), 300);

    await eventually('live projection applied every distinct event', async () => (await projectedEvents()) === history.length, 90_000);
    await eventually('live projection caught up (duplicates included)', caughtUp, 60_000);
    const live = await checksums(schema);
    expect(live.filter((t) => t.rows === 0).map((t) => t.table)).toEqual([]); // every read model has rows

    // 1. Rebuild into the staging schema only, and compare table by table.
    const rebuilt = await rebuildIntoStaging();
    expect(rebuilt.events).toBe(records.length + duplicates.length);
    expect(rebuilt.schema).toBe(`${schema}_rebuild`);
    expect(rebuilt.tables).toEqual(live);

    // 2. The operator's rebuild through the API switches over; the live projector keeps going.
    const token = await mintDevToken({ clientId: 'ops-console', roles: ['ops'], secret: SECRET });
    const started = await fetch(`${url}/v1/admin/rebuilds`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(started.status).toBe(202);
    const { rebuildId } = (await started.json()) as { rebuildId: string };
    const extra = [...sourceToPayHistory({ flows: 30, seed: 43 })];
    await produceHistory(kafka, await encodeHistory(codec, extra, ns.prefix)); // arrives during the rebuild
    let job: { status: string; tables: TableChecksum[]; eventsDone: number; error: string | null } = { status: 'running', tables: [], eventsDone: 0, error: null };
    await eventually('API rebuild finished', async () => {
      job = (await (await fetch(`${url}/v1/admin/rebuilds/${rebuildId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as typeof job;
      return job.status !== 'running';
    }, 90_000);
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    // The worker threads' own load schemas are gathered and dropped; only the live schema is left.
    const leftovers = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 || '%' ORDER BY 1`, [schema]);
    expect(leftovers.rows.map((r: { nspname: string }) => r.nspname)).toEqual([schema]);

    await eventually('events published during the rebuild are projected', async () => (await projectedEvents()) === history.length + extra.length, 60_000);
    await eventually('caught up after the switch', caughtUp, 60_000);
    const afterSwitch = await checksums(schema);
    const invoices = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".invoices WHERE invoice_id LIKE 'INV-0000002b-%'`);
    expect(invoices.rows[0].n).toBeGreaterThan(0); // seed 43's invoices are in the switched tables

    // 3. And a fresh rebuild of everything (history + extra) still equals what the live side holds.
    const again = await rebuildIntoStaging();
    expect(again.tables).toEqual(afterSwitch);
  });
});
