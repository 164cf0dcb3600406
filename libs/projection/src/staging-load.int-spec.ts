import { Pool, type PoolClient } from 'pg';
import { testEnvironment, uniqueName } from '@finmesh/testing';
import { quoteIdentifier } from '@finmesh/persistence';
import type { Row, TableSpec } from './read-model-table';
import { buildStagingKeys, gatherStagingTables, loadStagingTable, participantSchema, participantSchemas } from './staging-load';

/** How a rebuild's threads load, key and gather their tables, against the real PostgreSQL. */
const env = testEnvironment();

const ORDERS: TableSpec = {
  name: 'orders',
  columns: [
    { name: 'order_id', type: 'text' },
    { name: 'amount', type: 'numeric' },
    { name: 'note', type: 'text' },
  ],
  primaryKey: ['order_id'],
  indexes: [['amount']],
};
const FRESHNESS: TableSpec = {
  name: 'freshness',
  columns: [
    { name: 'topic', type: 'text' },
    { name: 'seen', type: 'int' },
  ],
  primaryKey: ['topic'],
};
const EMPTY: TableSpec = { name: 'nothing_loaded', columns: [{ name: 'id', type: 'text' }], primaryKey: ['id'] };

describe('staging tables of a rebuild on the real PostgreSQL', () => {
  const pool = new Pool({ connectionString: env.databaseUrl, max: 4 });
  let staging: string;
  let client: PoolClient;

  beforeEach(async () => {
    staging = uniqueName('staging_test').replace(/-/g, '_');
    client = await pool.connect();
    await client.query(`CREATE SCHEMA ${quoteIdentifier(staging)}`);
    for (const i of [0, 1]) await client.query(`CREATE SCHEMA ${quoteIdentifier(participantSchema(staging, i))}`);
  });

  afterEach(async () => {
    for (const schema of [staging, participantSchema(staging, 0), participantSchema(staging, 1)]) {
      await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    }
    client.release();
  });

  afterAll(async () => {
    await pool.end();
  });

  const load = async (index: number, spec: TableSpec, rows: Row[]) => {
    const schema = participantSchema(staging, index);
    const count = await loadStagingTable(client, schema, spec, rows);
    await buildStagingKeys(client, schema, spec);
    return count;
  };
  const rowsOf = async (table: string) =>
    (await client.query(`SELECT * FROM ${quoteIdentifier(staging)}.${quoteIdentifier(table)} ORDER BY 1`)).rows as Record<string, unknown>[];
  const indexesOf = async (table: string) =>
    (await client.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1', [staging, table])).rows.map((r) => r.indexname);

  it('moves a table one thread loaded, merges a table both loaded, and creates the rest empty, all keyed', async () => {
    expect(await load(0, ORDERS, [{ order_id: 'PO-2', amount: '10.5000', note: 'tab\there' }, { order_id: 'PO-1', amount: '7.0000', note: null }])).toBe(2);
    await load(0, FRESHNESS, [{ topic: 'orders:0', seen: 3 }]);
    await load(1, FRESHNESS, [{ topic: 'orders:1', seen: 5 }]);

    await gatherStagingTables(client, staging, [ORDERS, FRESHNESS, EMPTY], [
      { schema: participantSchema(staging, 0), tables: ['orders', 'freshness'] },
      { schema: participantSchema(staging, 1), tables: ['freshness'] },
    ]);

    expect(await rowsOf('orders')).toEqual([
      { order_id: 'PO-1', amount: '7.0000', note: null },
      { order_id: 'PO-2', amount: '10.5000', note: 'tab\there' },
    ]);
    expect(await rowsOf('freshness')).toEqual([
      { topic: 'orders:0', seen: 3 },
      { topic: 'orders:1', seen: 5 },
    ]);
    expect(await rowsOf('nothing_loaded')).toEqual([]);
    expect(await indexesOf('orders')).toEqual(['orders_amount_idx', 'orders_pkey']);
    expect(await indexesOf('freshness')).toEqual(['freshness_pkey']);
    expect(await indexesOf('nothing_loaded')).toEqual(['nothing_loaded_pkey']);
    // Moved, not copied: nothing is left behind in the thread's schema.
    const left = await client.query('SELECT tablename FROM pg_tables WHERE schemaname = $1', [participantSchema(staging, 0)]);
    expect(left.rows.map((r: { tablename: string }) => r.tablename)).toEqual(['freshness']);
  });

  it('refuses rows with the same key from two threads, naming the table and the rule', async () => {
    await load(0, FRESHNESS, [{ topic: 'orders:0', seen: 3 }]);
    await load(1, FRESHNESS, [{ topic: 'orders:0', seen: 4 }]);
    await expect(
      gatherStagingTables(client, staging, [FRESHNESS], [
        { schema: participantSchema(staging, 0), tables: ['freshness'] },
        { schema: participantSchema(staging, 1), tables: ['freshness'] },
      ]),
    ).rejects.toThrow(/rows of 'freshness' with the same key were produced by more than one worker \(Key \(topic\)=\(orders:0\) already exists\.\); .*one topic only/);
  });

  it('writes the rows frozen and gathers statistics on the key and index columns only', async () => {
    await load(0, ORDERS, [{ order_id: 'PO-1', amount: '1.0000', note: 'x' }]);
    const schema = participantSchema(staging, 0);
    // COPY FREEZE marks the pages all-visible in the visibility map (a plain COPY does not), and
    // ANALYZE copies that count into relallvisible.
    const pages = await client.query<{ relpages: number; relallvisible: number }>(
      'SELECT relpages, relallvisible FROM pg_class WHERE oid = $1::regclass',
      [`${quoteIdentifier(schema)}.orders`],
    );
    expect(pages.rows[0]?.relpages).toBeGreaterThan(0);
    expect(pages.rows[0]?.relallvisible).toBe(pages.rows[0]?.relpages);
    const stats = await client.query<{ attname: string }>('SELECT attname FROM pg_stats WHERE schemaname = $1 AND tablename = $2 ORDER BY 1', [schema, 'orders']);
    expect(stats.rows.map((r) => r.attname)).toEqual(['amount', 'order_id']);
  });

  it('finds the schemas threads loaded into, including those a crashed rebuild left, and nothing else', async () => {
    await client.query(`CREATE SCHEMA ${quoteIdentifier(`${staging}_x`)}`);
    try {
      expect((await participantSchemas(client, staging)).sort()).toEqual([participantSchema(staging, 0), participantSchema(staging, 1)]);
    } finally {
      await client.query(`DROP SCHEMA ${quoteIdentifier(`${staging}_x`)}`);
    }
  });
});
