import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ensureAuditTable } from '@finmesh/messaging';
import { advisoryLockKey } from '@finmesh/persistence';
import { testDataSource, withPg } from '@finmesh/testing';
import { AuditTrail } from './audit-trail';

/**
 * AuditTrail against the real PostgreSQL and the shared finmesh_audit table (only valid rows are
 * appended, under entity ids no one else uses).
 */
describe('AuditTrail (services) on the real PostgreSQL', () => {
  let ds: DataSource;
  const trail = new AuditTrail({ serviceName: 'audit-trail-test' });

  beforeAll(async () => {
    ds = await testDataSource('public', 4);
    await ensureAuditTable(ds);
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  async function rowsOf(entityId: string): Promise<{ action: string; actor: string; service: string }[]> {
    return withPg(async (pg) => (await pg.query(`SELECT action, actor, service FROM finmesh_audit.audit_log WHERE entity_id = $1 ORDER BY id`, [entityId])).rows);
  }

  const entry = (entityId: string, action: string) => ({ entityType: 'invoice' as const, entityId, action, before: null, after: { status: 'X' }, causingEventId: null });

  it('appends when the transaction commits, and not at all when it rolls back', async () => {
    const committed = randomUUID();
    await ds.transaction(async (tx) => {
      await trail.record(tx, entry(committed, 'invoice.a'));
      await trail.record(tx, { ...entry(committed, 'invoice.b'), actor: 'jane' });
      // Deferred to the commit: nothing is written (or locked) yet.
      expect(await rowsOf(committed)).toEqual([]);
    });
    expect(await rowsOf(committed)).toEqual([
      { action: 'invoice.a', actor: 'service:audit-trail-test', service: 'audit-trail-test' },
      { action: 'invoice.b', actor: 'jane', service: 'audit-trail-test' },
    ]);

    const rolledBack = randomUUID();
    await expect(
      ds.transaction(async (tx) => {
        await trail.record(tx, entry(rolledBack, 'invoice.a'));
        throw new Error('business failure');
      }),
    ).rejects.toThrow('business failure');
    expect(await rowsOf(rolledBack)).toEqual([]);
  });

  it('does not deadlock when a transaction takes other locks after recording (the chain lock is taken last)', async () => {
    const id1 = randomUUID();
    const id2 = randomUUID();
    const other = advisoryLockKey('audit-trail-test', randomUUID());
    let t2HasLock!: () => void;
    const t2Locked = new Promise<void>((r) => (t2HasLock = r));
    let releaseT2!: () => void;
    const t2MayFinish = new Promise<void>((r) => (releaseT2 = r));
    const t2 = ds.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [other]);
      t2HasLock();
      await t2MayFinish;
      await trail.record(tx, entry(id2, 'invoice.t2'));
    });
    await t2Locked;
    const t1 = ds.transaction(async (tx) => {
      await trail.record(tx, entry(id1, 'invoice.t1'));
      // Blocks until t2 commits. Had the record above taken the chain lock, t2's append would wait
      // for us and PostgreSQL would abort one of the two with a deadlock.
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [other]);
    });
    await new Promise((r) => setTimeout(r, 200));
    releaseT2();
    await Promise.all([t1, t2]);
    expect((await rowsOf(id1)).map((r) => r.action)).toEqual(['invoice.t1']);
    expect((await rowsOf(id2)).map((r) => r.action)).toEqual(['invoice.t2']);
  });

  it('refuses to record outside a transaction', async () => {
    await expect(trail.record(ds.manager, entry(randomUUID(), 'invoice.a'))).rejects.toThrow(/needs a transaction/);
  });
});
