import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { testDataSource, testEnvironment, uniqueName } from '@finmesh/testing';
import type { AuditEntryInput } from './audit-entry';
import { AUDIT_MASK } from './audit-masking';
import { ensureAuditTable } from './audit-table';
import { appendAudit, appendAuditBatch } from './audit-writer';
import { verifyAuditChain } from './audit-verification';

/**
 * The audit trail against the real PostgreSQL. Every test uses its own schema (never the shared
 * finmesh_audit), because tampering tests deliberately break the chain.
 */
const env = testEnvironment();

describe('audit trail on the real PostgreSQL', () => {
  const pool = new Pool({ connectionString: env.databaseUrl, max: 8 });
  const schemas: string[] = [];

  async function freshSchema(): Promise<string> {
    const schema = uniqueName('audit_test').replace(/-/g, '_');
    schemas.push(schema);
    await ensureAuditTable(pool, { schema });
    return schema;
  }

  function entry(i: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
    return {
      entityType: 'invoice',
      entityId: `INV-${i}`,
      action: 'invoice.matched',
      actor: 'service:invoice-sync',
      before: { status: 'RECEIVED', total: { amount: `${i}.10`, currency: 'EUR' } },
      after: { status: 'MATCHED', total: { amount: `${i}.10`, currency: 'EUR' }, nested: { b: 2, a: [1, { y: 'x' }] } },
      causingEventId: randomUUID(),
      correlationId: `corr-${i}`,
      service: 'invoice-sync',
      ...overrides,
    };
  }

  async function inTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
  }

  async function appendMany(schema: string, n: number): Promise<Array<{ id: string; hash: string }>> {
    const out: Array<{ id: string; hash: string }> = [];
    for (let i = 1; i <= n; i++) out.push(await inTransaction((c) => appendAudit(c, entry(i), { schema })));
    return out;
  }

  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('creates the table idempotently, even from concurrent starts', async () => {
    const schema = uniqueName('audit_test').replace(/-/g, '_');
    schemas.push(schema);
    await Promise.all([1, 2, 3, 4].map(() => ensureAuditTable(pool, { schema })));
    await ensureAuditTable(pool, { schema });
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal`,
      [`"${schema}".audit_log`],
    );
    expect(rows[0]!.n).toBe('2');
  });

  it('chains appended rows and verifies them, paging through the table', async () => {
    const schema = await freshSchema();
    const appended = await appendMany(schema, 7);
    const { rows } = await pool.query<{ id: string; prev_hash: string | null; hash: string; after: Record<string, unknown>; causing_event_id: string }>(
      `SELECT id::text, prev_hash, hash, after, causing_event_id FROM "${schema}".audit_log ORDER BY audit_log.id`,
    );
    expect(rows.map((r) => r.hash)).toEqual(appended.map((a) => a.hash));
    expect(rows[0]!.prev_hash).toBeNull();
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(rows[2]!.after).toMatchObject({ status: 'MATCHED', total: { amount: '3.10', currency: 'EUR' } });
    expect(rows[2]!.causing_event_id).toMatch(/^[0-9a-f-]{36}$/);

    const pages: number[] = [];
    const result = await verifyAuditChain(pool, { schema, pageSize: 3, onProgress: (n) => pages.push(n) });
    expect(result).toEqual({ ok: true, rowsChecked: 7, lastHash: appended[6]!.hash });
    expect(pages).toEqual([3, 6, 7]);
  });

  it('works through a TypeORM transaction and masks bank details and tax ids before storing', async () => {
    const schema = await freshSchema();
    const ds = await testDataSource(schema, 2);
    try {
      await ds.transaction((tx) =>
        appendAudit(tx, entry(1, { entityType: 'supplier', after: { status: 'ACTIVE', bankAccounts: [{ iban: 'DE89370400440532013000' }], taxId: 'DE123' } }), { schema }),
      );
    } finally {
      await ds.destroy();
    }
    const { rows } = await pool.query<{ after: Record<string, unknown> }>(`SELECT after FROM "${schema}".audit_log`);
    expect(rows[0]!.after).toEqual({ status: 'ACTIVE', bankAccounts: AUDIT_MASK, taxId: AUDIT_MASK });
    expect((await verifyAuditChain(pool, { schema })).ok).toBe(true);
  });

  it('keeps one valid chain when parallel transactions append at once', async () => {
    const schema = await freshSchema();
    const n = 24;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        inTransaction(async (c) => {
          // Some other work in the same transaction before the append, as a service would do.
          await c.query('SELECT pg_sleep(0.005)');
          return appendAudit(c, entry(i), { schema });
        }),
      ),
    );
    const result = await verifyAuditChain(pool, { schema });
    expect(result.firstBadRow).toBeUndefined();
    expect(result).toMatchObject({ ok: true, rowsChecked: n });
  });

  it('appends batches in order in one go, interleaving with single appends into one valid chain', async () => {
    const schema = await freshSchema();
    const batches = await Promise.all(
      Array.from({ length: 6 }, (_, b) =>
        inTransaction((c) => (b % 2 === 0 ? appendAuditBatch(c, [1, 2, 3, 4, 5].map((i) => entry(b * 10 + i)), { schema }) : appendAudit(c, entry(b * 10), { schema }).then((a) => [a]))),
      ),
    );
    const { rows } = await pool.query<{ id: string; entity_id: string }>(`SELECT id::text, entity_id FROM "${schema}".audit_log ORDER BY audit_log.id`);
    expect(rows).toHaveLength(18);
    // A batch's rows are consecutive and in the order given.
    for (const batch of batches.filter((b) => b.length === 5)) {
      const at = rows.findIndex((r) => r.id === batch[0]!.id);
      expect(rows.slice(at, at + 5).map((r) => r.id)).toEqual(batch.map((a) => a.id));
    }
    expect(rows.find((r) => r.id === batches[0]![4]!.id)?.entity_id).toBe('INV-5');
    expect(await verifyAuditChain(pool, { schema })).toMatchObject({ ok: true, rowsChecked: 18 });
  });

  it('tolerates the id gap a rolled-back append leaves', async () => {
    const schema = await freshSchema();
    await appendMany(schema, 2);
    await expect(
      inTransaction(async (c) => {
        await appendAudit(c, entry(99), { schema });
        throw new Error('business rule failed after the append');
      }),
    ).rejects.toThrow('business rule failed');
    await appendMany(schema, 1);
    const { rows } = await pool.query<{ id: string }>(`SELECT id::text FROM "${schema}".audit_log ORDER BY audit_log.id`);
    expect(rows.map((r) => Number(r.id))).toEqual([1, 2, 4]);
    expect(await verifyAuditChain(pool, { schema })).toMatchObject({ ok: true, rowsChecked: 3 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    const schema = await freshSchema();
    await appendMany(schema, 3);
    const table = `"${schema}".audit_log`;
    await expect(pool.query(`UPDATE ${table} SET actor = 'mallory' WHERE id = 2`)).rejects.toThrow(`${schema}.audit_log is append-only: UPDATE is refused`);
    await expect(pool.query(`DELETE FROM ${table} WHERE id = 2`)).rejects.toThrow(`${schema}.audit_log is append-only: DELETE is refused`);
    await expect(pool.query(`TRUNCATE ${table}`)).rejects.toThrow(`${schema}.audit_log is append-only: TRUNCATE is refused`);
    const { rows } = await pool.query<{ n: string; actors: string[] }>(`SELECT count(*)::text AS n, array_agg(DISTINCT actor) AS actors FROM ${table}`);
    expect(rows[0]).toEqual({ n: '3', actors: ['service:invoice-sync'] });
    expect((await verifyAuditChain(pool, { schema })).ok).toBe(true);
  });

  /** What a superuser can do: switch the guards off, change history, switch them on again. */
  async function tamper(schema: string, sql: string): Promise<void> {
    const table = `"${schema}".audit_log`;
    await inTransaction(async (c) => {
      await c.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      await c.query(sql.replace('$table', table));
      await c.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    });
  }

  it('names the first tampered row when a row was changed behind the triggers', async () => {
    const schema = await freshSchema();
    const appended = await appendMany(schema, 5);
    await tamper(schema, `UPDATE $table SET after = jsonb_set(after, '{total,amount}', '"9999.00"') WHERE id = 3`);
    const result = await verifyAuditChain(pool, { schema, pageSize: 2 });
    expect(result.ok).toBe(false);
    expect(result.rowsChecked).toBe(2);
    expect(result.firstBadRow?.id).toBe('3');
    expect(result.firstBadRow?.reason).toMatch(/content does not match its hash/);
    expect(result.lastHash).toBe(appended[1]!.hash);
  });

  it('names the row after a removed one, and a rewritten row whose hash was recomputed', async () => {
    const removed = await freshSchema();
    await appendMany(removed, 5);
    await tamper(removed, `DELETE FROM $table WHERE id = 2`);
    const afterRemoval = await verifyAuditChain(pool, { schema: removed });
    expect(afterRemoval.firstBadRow?.id).toBe('3');
    expect(afterRemoval.firstBadRow?.reason).toMatch(/does not link to the previous row's hash/);

    // An attacker who also rewrites the hash of the changed row still breaks the next link.
    const rewritten = await freshSchema();
    await appendMany(rewritten, 4);
    await tamper(rewritten, `UPDATE $table SET actor = 'mallory', hash = md5(hash) || md5(hash) WHERE id = 2`);
    const afterRewrite = await verifyAuditChain(pool, { schema: rewritten });
    expect(afterRewrite.firstBadRow?.id).toBe('2');

    const timeShifted = await freshSchema();
    await appendMany(timeShifted, 3);
    await tamper(timeShifted, `UPDATE $table SET occurred_at = occurred_at - interval '1 day' WHERE id = 1`);
    expect((await verifyAuditChain(pool, { schema: timeShifted })).firstBadRow).toMatchObject({ id: '1', reason: expect.stringMatching(/content/) });
  });
});
