import { Pool } from 'pg';
import { advisoryLockKey, pgTransactionRunner } from '@finmesh/persistence';
import { testEnvironment, uniqueName } from '@finmesh/testing';
import { type DeliveryIdentity, DeliveryLedger, deliveryKey } from './delivery-ledger';
import { ensureDeliveryTables } from './delivery-tables';

const env = testEnvironment();
let pool: Pool;
let schema: string;
let ledger: DeliveryLedger;

const SINK = 'coupa:supplier-status';

function identity(eventId: string, naturalKey: string | null = 'SUP-1'): DeliveryIdentity {
  return { sink: SINK, deliveryKey: deliveryKey(eventId, SINK, 'supplier'), eventId, businessKey: 'SUP-1', naturalKey };
}

beforeAll(async () => {
  pool = new Pool({ connectionString: env.databaseUrl, max: 4 });
});

afterAll(async () => {
  await pool.end();
});

beforeEach(async () => {
  schema = uniqueName('delivery').replace(/-/g, '_');
  await ensureDeliveryTables(pool, schema);
  ledger = new DeliveryLedger(schema);
});

afterEach(async () => {
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
});

describe('DeliveryLedger on PostgreSQL', () => {
  it('creates its table idempotently', async () => {
    await ensureDeliveryTables(pool, schema);
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'finmesh_delivery_ledger'`,
      [schema],
    );
    expect(rows[0]?.n).toBe('1');
  });

  it('derives the same delivery key for the same event and target, a different one for another target', () => {
    expect(deliveryKey('e-1', SINK, 'supplier')).toBe(deliveryKey('e-1', SINK, 'supplier'));
    expect(deliveryKey('e-1', SINK, 'supplier')).not.toBe(deliveryKey('e-1', SINK, 'site'));
    expect(deliveryKey('e-1', SINK, 'supplier')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('counts attempts outside the transaction, keeps failures pending, then delivers with the answer', async () => {
    const id = identity('e-1');
    const first = await ledger.recordAttempt(pool, id);
    expect(first).toEqual({ attempts: 1, previous: undefined });
    await ledger.markFailed(pool, id, { status: 503, summary: 'answered 503' }, 'PLATFORM_UNAVAILABLE', false);

    const second = await ledger.recordAttempt(pool, id);
    expect(second.attempts).toBe(2);
    expect(second.previous).toMatchObject({ status: 'pending', attempts: 1, answerStatus: 503, failureCode: 'PLATFORM_UNAVAILABLE' });

    await pgTransactionRunner(pool)((tx) => ledger.markDelivered(tx, id, { status: 200, summary: '{"id":4711}' }));
    const row = await ledger.find(pool, SINK, id.deliveryKey);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, answerStatus: 200, answer: '{"id":4711}', failureCode: null, naturalKey: 'SUP-1' });
    expect(row!.deliveredAt).toBeInstanceOf(Date);
    expect(row!.firstAttemptAt.getTime()).toBeLessThanOrEqual(row!.lastAttemptAt.getTime());
  });

  it('a delivered mark rolled back with its transaction leaves the delivery pending (the crash after a 2xx)', async () => {
    const id = identity('e-2');
    await ledger.recordAttempt(pool, id);
    await expect(
      pgTransactionRunner(pool)(async (tx) => {
        await ledger.markDelivered(tx, id, { status: 201 });
        throw new Error('crashed before commit');
      }),
    ).rejects.toThrow('crashed before commit');
    expect(await ledger.find(pool, SINK, id.deliveryKey)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('never downgrades a delivered row, and does not count attempts on it', async () => {
    const id = identity('e-3');
    await ledger.markDelivered(pool, id, { status: 200 });
    await ledger.markFailed(pool, id, { status: 500 }, 'PLATFORM_UNAVAILABLE', true);
    const again = await ledger.recordAttempt(pool, id);
    expect(again.attempts).toBe(1);
    expect(await ledger.find(pool, SINK, id.deliveryKey)).toMatchObject({ status: 'delivered', answerStatus: 200, attempts: 1 });
  });

  it('a failed delivery is reopened by the next attempt (a replay after the fix)', async () => {
    const id = identity('e-4');
    await ledger.recordAttempt(pool, id);
    await ledger.markFailed(pool, id, { status: 401, summary: 'credentials refused' }, 'PLATFORM_AUTH', true);
    expect(await ledger.open(pool, SINK)).toEqual([expect.objectContaining({ deliveryKey: id.deliveryKey, status: 'failed', answer: 'credentials refused' })]);
    const replay = await ledger.recordAttempt(pool, id);
    expect(replay.attempts).toBe(2);
    expect(await ledger.find(pool, SINK, id.deliveryKey)).toMatchObject({ status: 'pending' });
  });

  it('finds deliveries by natural key and bounds a long answer', async () => {
    await ledger.markDelivered(pool, identity('e-5'), { status: 200, summary: `<html>${'x'.repeat(2000)}</html>` });
    await ledger.markDelivered(pool, identity('e-6'), { status: 200 });
    await ledger.markDelivered(pool, identity('e-7', 'SUP-2'), { status: 200 });
    const sup1 = await ledger.byNaturalKey(pool, SINK, 'SUP-1');
    expect(sup1.map((r) => r.eventId).sort()).toEqual(['e-5', 'e-6']);
    const long = sup1.find((r) => r.eventId === 'e-5')!;
    expect(long.answer!.length).toBe(501);
  });

  it('lockDelivery holds one delivery for its transaction only, and not other deliveries', async () => {
    const id = identity('e-8');
    const other = identity('e-9');
    const tryLock = (key: string) =>
      pgTransactionRunner(pool)(async (tx) => {
        const { rows } = await tx.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS got', [
          advisoryLockKey(schema, `delivery:${SINK}:${key}`),
        ]);
        return rows[0]!.got;
      });
    await pgTransactionRunner(pool)(async (tx) => {
      await ledger.lockDelivery(tx, SINK, id.deliveryKey);
      expect(await tryLock(id.deliveryKey)).toBe(false);
      expect(await tryLock(other.deliveryKey)).toBe(true);
    });
    expect(await tryLock(id.deliveryKey)).toBe(true);
  });
});
