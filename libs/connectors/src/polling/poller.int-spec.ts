import { Pool, type PoolClient } from 'pg';
import pino from 'pino';
import { pgTransactionRunner } from '@finmesh/persistence';
import { testEnvironment, uniqueName } from '@finmesh/testing';
import { PlatformAuthError } from '../http/platform-errors';
import type { PollerState } from '../observability/connector-observer';
import { exportedFlagPollCycle, incrementalPollCycle, type ExportedFlagSource, type IncrementalSource } from './poll-cycle';
import { PollLedger } from './poll-ledger';
import { ensurePollTables } from './poll-tables';
import { Poller } from './poller';
import type { PolledRecord, TransactionRunner } from './polled-record';

/**
 * The poll mechanism against the real PostgreSQL: watermark, ledger, savepoints, the page lock
 * and the leader lock. The platform side is an in-memory collection here (its paging contract
 * is what the cycle relies on); the simulators' own suites and the services' suites poll the
 * platform simulators over HTTP.
 */
const env = testEnvironment();
const logger = pino({ level: 'silent' });
let pool: Pool;
let schema: string;
let ledger: PollLedger;

const transaction: TransactionRunner<PoolClient> = (work) => pgTransactionRunner(pool)(work);

interface Row {
  id: string;
  updatedAt: Date;
  exported: boolean;
  bad?: boolean;
}

/** Fusion-like collection: change time >= from, ordered by change time then id, offset paging. */
function incrementalSource(rows: Row[], onFetch?: (n: number) => void): IncrementalSource<Row> {
  let fetches = 0;
  return {
    fetch: async (from, offset, limit) => {
      onFetch?.(++fetches);
      const window = rows
        .filter((r) => r.updatedAt.getTime() >= from.getTime())
        .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.id.localeCompare(b.id));
      const page = window.slice(offset, offset + limit);
      return { records: page.map(toRecord), hasMore: offset + page.length < window.length };
    },
  };
}

/** Coupa-like collection: exported=false, offset paging, marking is its own call. */
function exportedSource(rows: Row[]): ExportedFlagSource<Row> & { marks: string[] } {
  const marks: string[] = [];
  return {
    marks,
    fetchUnexported: async (offset, limit) => {
      const page = rows.filter((r) => !r.exported).slice(offset, offset + limit);
      return { records: page.map(toRecord), hasMore: page.length === limit };
    },
    markExported: async (record) => {
      marks.push(record.key);
      rows.find((r) => r.id === record.key)!.exported = true;
    },
  };
}

function toRecord(r: Row): PolledRecord<Row> {
  return { key: r.id, version: r.updatedAt.toISOString(), changedAt: r.updatedAt, data: { ...r } };
}

/** The effect of applying a record: a row per application, so a double effect is visible. */
async function applyRecord(record: PolledRecord<Row>, tx: PoolClient): Promise<void> {
  if (record.data.bad) throw new Error(`record ${record.key} has no supplier number`);
  await tx.query(`INSERT INTO "${schema}".applied (record_key, version) VALUES ($1, $2)`, [record.key, record.version]);
}

async function applied(): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ record_key: string; n: string }>(`SELECT record_key, count(*)::text AS n FROM "${schema}".applied GROUP BY record_key`);
  return new Map(rows.map((r) => [r.record_key, Number(r.n)]));
}

function rowsAt(count: number, start: number, stepMs: number, prefix = 'R'): Row[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}${String(i).padStart(3, '0')}`, updatedAt: new Date(start + i * stepMs), exported: false }));
}

beforeAll(async () => {
  pool = new Pool({ connectionString: env.databaseUrl, max: 6 });
});

afterAll(async () => {
  await pool.end();
});

beforeEach(async () => {
  schema = uniqueName('poll').replace(/-/g, '_');
  await ensurePollTables(pool, schema);
  await pool.query(`CREATE TABLE "${schema}".applied (record_key text NOT NULL, version text NOT NULL)`);
  ledger = new PollLedger(schema);
});

afterEach(async () => {
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
});

const T0 = Date.parse('2026-12-01T08:00:00.000Z');

describe('incremental (LastUpdateDate watermark) polling', () => {
  it('loses and doubles nothing when the poller dies mid-page, before or after a commit', async () => {
    const rows = rowsAt(23, T0, 1000);
    let failOn: string | undefined = 'R007';
    const handler = async (record: PolledRecord<Row>, tx: PoolClient) => {
      if (record.key === failOn) {
        failOn = undefined;
        // The connection dies while applying the second page: the page's transaction is lost.
        throw Object.assign(new Error('terminating connection'), { code: '57P01' });
      }
      await applyRecord(record, tx);
    };
    const cycle = (afterPage?: () => void) =>
      incrementalPollCycle({ platform: 'fusion', resource: 'payablesPayments', ledger, transaction, handler, pageSize: 5, overlapMs: 5000, source: incrementalSource(rows), afterPage });

    await expect(cycle().run()).rejects.toThrow('terminating connection');
    expect((await applied()).size).toBe(5); // page 1 committed, page 2 rolled back whole
    expect(await transaction((tx) => ledger.watermark(tx, 'payablesPayments'))).toEqual(new Date(T0 + 4000));

    // The restarted poller re-reads page 1 (the overlap: all known), commits page 2, and is
    // killed right after that commit, before it reads on.
    let pages = 0;
    await expect(cycle(() => {
      if (++pages === 2) throw new Error('killed');
    }).run()).rejects.toThrow('killed');

    const stats = await cycle().run();
    const counts = await applied();
    expect(counts.size).toBe(23);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // The last run re-read the overlap (5 s before the watermark) and applied only what was left.
    expect(stats.applied).toBe(23 - 10);
    expect(stats.fetched).toBeGreaterThan(stats.applied);
    expect(await transaction((tx) => ledger.watermark(tx, 'payablesPayments'))).toEqual(new Date(T0 + 22_000));
  });

  it('picks up a row committed late within the overlap, and pages through rows of one instant exactly', async () => {
    const sameInstant = rowsAt(12, T0, 0, 'S'); // 12 rows, one timestamp, page size 5
    const rows = [...sameInstant, ...rowsAt(3, T0 + 10_000, 1000, 'A')];
    const make = () => incrementalPollCycle({ platform: 'fusion', resource: 'suppliers', ledger, transaction, handler: applyRecord, pageSize: 5, overlapMs: 5000, source: incrementalSource(rows) });
    expect(await make().run()).toMatchObject({ applied: 15, rejected: 0 });

    // Committed after the poll with an update time 3 s before the watermark (a long ERP transaction).
    rows.push({ id: 'LATE', updatedAt: new Date(T0 + 9_000), exported: false });
    expect(await make().run()).toMatchObject({ applied: 1 });
    const counts = await applied();
    expect(counts.get('LATE')).toBe(1);
    expect(counts.size).toBe(16);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('skips no row when a row of an earlier page changes during the cycle, and applies its new version', async () => {
    const rows = rowsAt(10, T0, 1000);
    const source = incrementalSource(rows, (n) => {
      // After the first page was read, R001 is edited at the platform: it leaves its place.
      if (n === 2) rows[1]!.updatedAt = new Date(T0 + 60_000);
    });
    await incrementalPollCycle({ platform: 'fusion', resource: 'invoices', ledger, transaction, handler: applyRecord, pageSize: 3, overlapMs: 0, source }).run();
    const counts = await applied();
    expect([...counts.keys()].sort()).toEqual(rows.map((r) => r.id).sort());
    expect(counts.get('R001')).toBe(2); // two versions, two facts
    expect(counts.get('R002')).toBe(1);
  });

  it('rejects a bad record alone, keeps its reason, and does not re-apply it on the next read', async () => {
    const rows = rowsAt(4, T0, 1000);
    rows[2]!.bad = true;
    const make = () => incrementalPollCycle({ platform: 'fusion', resource: 'payablesPayments', ledger, transaction, handler: applyRecord, pageSize: 10, overlapMs: 60_000, source: incrementalSource(rows) });
    expect(await make().run()).toMatchObject({ applied: 3, rejected: 1 });
    expect(await make().run()).toMatchObject({ applied: 0, rejected: 0 });
    expect(await transaction((tx) => ledger.rejected(tx, 'payablesPayments'))).toEqual([
      expect.objectContaining({ key: 'R002', reason: 'record R002 has no supplier number' }),
    ]);
    expect((await applied()).size).toBe(3);
  });
});

describe('exported-flag polling', () => {
  it('re-reads a record that was applied but not marked (crash in between) and only marks it', async () => {
    const rows = rowsAt(7, T0, 1000, 'PO');
    rows[3]!.bad = true;
    const source = exportedSource(rows);
    let calls = 0;
    const crashOnce = () => {
      if (++calls === 1) throw new Error('killed after commit, before marking');
    };
    const cycle = (afterPage?: () => void) =>
      exportedFlagPollCycle({ platform: 'coupa', resource: 'purchase_orders', ledger, transaction, handler: applyRecord, pageSize: 3, source, afterPage });
    await expect(cycle(crashOnce).run()).rejects.toThrow('killed');
    expect(source.marks).toEqual([]);
    expect((await applied()).size).toBe(3);

    const stats = await cycle().run();
    const counts = await applied();
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(6);
    expect(stats).toMatchObject({ applied: 3, rejected: 1 });
    // Every applied record is marked exported once; the rejected one stays unexported.
    expect([...source.marks].sort()).toEqual(['PO000', 'PO001', 'PO002', 'PO004', 'PO005', 'PO006']);
    expect(rows.filter((r) => !r.exported).map((r) => r.id)).toEqual(['PO003']);

    // The next cycle steps over the rejected record without re-applying it.
    expect(await cycle().run()).toMatchObject({ applied: 0, rejected: 0, fetched: 1 });
  });

  it('offers a deferred record again, unmarked, until its handler applies it', async () => {
    const rows = rowsAt(3, T0, 1000, 'RT');
    const source = exportedSource(rows);
    let pending = true;
    const handler = async (record: PolledRecord<Row>, tx: PoolClient) => {
      if (record.key === 'RT001' && pending) return 'deferred' as const;
      await applyRecord(record, tx);
      return undefined;
    };
    const cycle = () => exportedFlagPollCycle({ platform: 'coupa', resource: 'receiving_transactions', ledger, transaction, handler, pageSize: 2, source });
    expect(await cycle().run()).toMatchObject({ applied: 2 });
    expect(source.marks.sort()).toEqual(['RT000', 'RT002']);
    pending = false; // approved in Coupa
    expect(await cycle().run()).toMatchObject({ applied: 1 });
    expect(source.marks.sort()).toEqual(['RT000', 'RT001', 'RT002']);
    expect([...(await applied()).values()]).toEqual([1, 1, 1]);
  });
});

describe('Poller', () => {
  it('runs one poller per resource across instances, and a standby takes over when the leader stops', async () => {
    const rows = rowsAt(3, T0, 1000);
    const runs = { a: 0, b: 0 };
    const poller = (name: 'a' | 'b') => {
      const cycle = incrementalPollCycle({ platform: 'fusion', resource: 'suppliers', ledger, transaction, handler: applyRecord, pageSize: 10, overlapMs: 1000, source: incrementalSource(rows) });
      return new Poller({
        platform: 'fusion', resource: 'suppliers', schema, connectionString: env.databaseUrl, intervalMs: 20, logger, leadershipRetryMs: 50,
        cycle: { run: async () => { runs[name] += 1; return cycle.run(); } },
      });
    };
    const a = poller('a');
    a.start();
    await waitFor(() => runs.a >= 2);
    const b = poller('b');
    b.start();
    await sleep(300);
    expect(runs.b).toBe(0);
    expect(b.status().state).toBe('standby');
    await a.stop();
    await waitFor(() => runs.b >= 1);
    await b.stop();
    expect([...(await applied()).values()]).toEqual([1, 1, 1]);
  });

  it('stops the poller whose credentials are refused, with a clear state, and leaves the others running', async () => {
    const states: Array<[string, PollerState]> = [];
    const observer = { pollerState: (_p: string, resource: string, state: PollerState) => void states.push([resource, state]) };
    const refused = new Poller({
      platform: 'fusion', resource: 'payablesPayments', schema, connectionString: env.databaseUrl, intervalMs: 20, logger, observer,
      cycle: { run: async () => { throw new PlatformAuthError('fusion', 'GET payablesPayments', "credentials refused (401) for 'finmesh'", 401); } },
    });
    let healthyRuns = 0;
    const healthy = new Poller({
      platform: 'fusion', resource: 'suppliers', schema, connectionString: env.databaseUrl, intervalMs: 20, logger, observer,
      cycle: { run: async () => { healthyRuns += 1; return { pages: 0, fetched: 0, applied: 0, rejected: 0 }; } },
    });
    refused.start();
    healthy.start();
    await waitFor(() => refused.status().state === 'stopped_auth');
    const before = healthyRuns;
    await waitFor(() => healthyRuns > before + 2);
    expect(refused.status()).toMatchObject({ state: 'stopped_auth', cycles: 0, lastError: "fusion GET payablesPayments: credentials refused (401) for 'finmesh'" });
    expect(states).toContainEqual(['payablesPayments', 'stopped_auth']);
    await refused.stop();
    await healthy.stop();
    expect(refused.status().state).toBe('stopped_auth');
  });

  it('backs off while the platform is down and carries on when it is back', async () => {
    let failures = 3;
    let runs = 0;
    const poller = new Poller({
      platform: 'coupa', resource: 'purchase_orders', schema, connectionString: env.databaseUrl, intervalMs: 10, logger, backoff: { initialMs: 20, maxMs: 80 },
      cycle: {
        run: async () => {
          runs += 1;
          if (failures-- > 0) throw Object.assign(new Error('coupa GET purchase_orders: answered 503'), { retriable: true, code: 'PLATFORM_UNAVAILABLE' });
          return { pages: 1, fetched: 0, applied: 0, rejected: 0 };
        },
      },
    });
    poller.start();
    await waitFor(() => poller.status().cycles >= 2);
    await poller.stop();
    expect(runs).toBeGreaterThanOrEqual(5);
    expect(poller.status().lastError).toBeUndefined();
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await sleep(20);
  }
}
