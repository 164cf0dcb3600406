import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { testEnvironment, uniqueName } from '@finmesh/testing';
import { deliveryHistory } from './delivery-history';
import { DeliveryLedger, deliveryKey, type DeliveryIdentity } from './delivery-ledger';
import { ensureDeliveryTables } from './delivery-tables';

const env = testEnvironment();
let pool: Pool;
let schema: string;

beforeAll(async () => {
  pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
});

afterAll(async () => {
  await pool.end();
});

beforeEach(async () => {
  schema = uniqueName('history').replace(/-/g, '_');
  await ensureDeliveryTables(pool, schema);
  // The service's outbox, as the messaging runtime creates it (only the columns read here).
  await pool.query(`CREATE TABLE "${schema}".finmesh_outbox (event_id uuid NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
});

afterEach(async () => {
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
});

const id = (sink: string, eventId: string, occurredAt: Date | null = null): DeliveryIdentity => ({
  sink,
  deliveryKey: deliveryKey(eventId, sink, 'supplier'),
  eventId,
  businessKey: 'SUP-1',
  naturalKey: '2101',
  eventOccurredAt: occurredAt,
});

describe('deliveryHistory', () => {
  it('lists deliveries newest first with the commit time of events this service published', async () => {
    const ledger = new DeliveryLedger(schema);
    const published = randomUUID();
    const consumed = randomUUID();
    await pool.query(`INSERT INTO "${schema}".finmesh_outbox (event_id, created_at) VALUES ($1, '2026-12-02T10:00:00Z')`, [published]);
    await ledger.recordAttempt(pool, id('coupa:supplier-holds', published));
    await ledger.markDelivered(pool, id('coupa:supplier-holds', published), { status: 200, summary: 'supplier 7 on-hold=true' });
    const occurredAt = new Date('2026-12-02T10:00:05Z');
    await ledger.recordAttempt(pool, id('ap:invoice-status', consumed, occurredAt));
    await ledger.markFailed(pool, id('ap:invoice-status', consumed, occurredAt), { status: 503 }, 'PLATFORM_UNAVAILABLE', false);

    const all = await deliveryHistory(pool, schema, { limit: 10 });
    expect(all.map((d) => [d.sink, d.status])).toEqual([
      ['ap:invoice-status', 'pending'],
      ['coupa:supplier-holds', 'delivered'],
    ]);
    expect(all[1]).toMatchObject({ eventId: published, committedAt: new Date('2026-12-02T10:00:00Z'), answerStatus: 200, answer: 'supplier 7 on-hold=true', deliveredAt: expect.any(Date) });
    // Consumed from another service: no outbox row here, the envelope time stands in.
    expect(all[0]).toMatchObject({ eventId: consumed, committedAt: null, eventOccurredAt: occurredAt, failureCode: 'PLATFORM_UNAVAILABLE', deliveredAt: null });

    expect((await deliveryHistory(pool, schema, { sink: 'coupa:supplier-holds', limit: 10 })).map((d) => d.eventId)).toEqual([published]);
    expect(await deliveryHistory(pool, schema, { since: new Date(Date.now() + 60_000), limit: 10 })).toEqual([]);
  });
});
