import pino from 'pino';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';
import { SchemaValidationError } from '@finmesh/contracts';
import { env, eventually, exited, invoiceReceived, openMessagingTestBed, spawnTestProcess, uniqueName, type MessagingTestBed } from '@finmesh/testing';

const logger = pino({ level: 'silent' });

describe('transactional outbox on the real database and broker', () => {
  let bed: MessagingTestBed;
  let writer: OutboxWriter;

  beforeEach(async () => {
    bed = await openMessagingTestBed({ outbox: true });
    writer = new OutboxWriter(bed.codec, bed.schema, () => bed.topic);
    await bed.ds.query('CREATE TABLE invoices (invoice_id text PRIMARY KEY)');
  });

  afterEach(() => bed.teardown());

  /** A business transaction: the state change and its event commit together. */
  async function receiveInvoice(invoiceId: string): Promise<string> {
    const value = invoiceReceived(invoiceId);
    await bed.ds.transaction(async (tx) => {
      await tx.query('INSERT INTO invoices (invoice_id) VALUES ($1)', [invoiceId]);
      await writer.enqueue(tx, [{ event: 'InvoiceReceived', key: invoiceId, value }]);
    });
    return value.envelope.eventId;
  }

  async function pending(): Promise<number> {
    const [row] = (await bed.ds.query('SELECT count(*)::int AS n FROM finmesh_outbox WHERE published_at IS NULL')) as { n: number }[];
    return row!.n;
  }

  async function eventIdsOnTopic(expectedAtLeast: number): Promise<string[]> {
      const consumer = bed.kafka.consumer({ groupId: uniqueName('reader') });
    const ids: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: bed.topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void ids.push(message.headers?.['finmesh-event-id']?.toString() ?? '?') });
    await eventually(`${expectedAtLeast} records on the topic`, async () => ids.length >= expectedAtLeast);
    await new Promise((r) => setTimeout(r, 500)); // anything beyond the expected count shows up too
    await consumer.disconnect();
    return ids;
  }

  it('refuses an invalid event and rolls back the state change with it', async () => {
    const bad = invoiceReceived('INV-bad') as Record<string, unknown>;
    delete bad['supplierId'];
    const attempt = bed.ds.transaction(async (tx) => {
      await tx.query('INSERT INTO invoices (invoice_id) VALUES ($1)', ['INV-bad']);
      await writer.enqueue(tx, [{ event: 'InvoiceReceived', key: 'INV-bad', value: bad as ReturnType<typeof invoiceReceived> }]);
    });
    await expect(attempt).rejects.toBeInstanceOf(SchemaValidationError);
    await expect(attempt).rejects.toThrow(/supplierId: required field is missing/);
    expect(await bed.ds.query('SELECT * FROM invoices')).toEqual([]);
    expect(await pending()).toBe(0);
  });

  it('publishes committed events keyed by business id, with event headers, woken by NOTIFY', async () => {
    const relay = new OutboxRelay({ pool: bed.pool, connectionString: env.databaseUrl, schema: bed.schema, producer: bed.producer, logger, idlePollMs: 60_000 });
    relay.start();
    try {
      // Give the relay time to take leadership and go idle on its 60 s poll: only NOTIFY can wake it now.
      await new Promise((r) => setTimeout(r, 1000));
      const eventId = await receiveInvoice('INV-100');
      await eventually('the event is published', async () => (await pending()) === 0 && relay.published === 1, 10_000);
      const consumer = bed.kafka.consumer({ groupId: uniqueName('reader') });
      const seen: { key: string; headers: Record<string, string> }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: bed.topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) =>
          void seen.push({
            key: message.key!.toString(),
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          }),
      });
      await eventually('record read back', async () => seen.length === 1);
      await consumer.disconnect();
      expect(seen[0]!.key).toBe('INV-100');
      expect(seen[0]!.headers['finmesh-event-id']).toBe(eventId);
      expect(seen[0]!.headers['finmesh-event-type']).toBe('InvoiceReceived');
      expect(seen[0]!.headers['finmesh-correlation-id']).toBe('corr-INV-100');
      expect(Number(seen[0]!.headers['finmesh-schema-id'])).toBeGreaterThan(0);
    } finally {
      await relay.stop();
    }
  });

  it('loses nothing when the relay is SIGKILLed after the broker acknowledged a batch but before marking it', async () => {
    const ids: string[] = [];
    for (let k = 0; k < 250; k++) ids.push(await receiveInvoice(`INV-${k}`));
    expect(await pending()).toBe(250);

    const crashing = spawnTestProcess('relay-process', { RELAY_SCHEMA: bed.schema, RELAY_BATCH_SIZE: '100', RELAY_CRASH_AFTER_PRODUCE: '1' });
    expect(await exited(crashing)).toBe('SIGKILL');
    // The first batch reached Kafka but was never marked: still pending, nothing lost.
    expect(await pending()).toBe(250);

    const relay = new OutboxRelay({ pool: bed.pool, connectionString: env.databaseUrl, schema: bed.schema, producer: bed.producer, logger, batchSize: 100 });
    expect(await relay.drain()).toBe(250);
    expect(await pending()).toBe(0);

    const onTopic = await eventIdsOnTopic(350);
    expect(onTopic).toHaveLength(350); // 100 re-published: harmless, consumers' inboxes drop them
    expect(new Set(onTopic)).toEqual(new Set(ids));
  });

  it('lets only one relay per schema publish, so one key keeps its order', async () => {
    const first = new OutboxRelay({ pool: bed.pool, connectionString: env.databaseUrl, schema: bed.schema, producer: bed.producer, logger });
    const second = new OutboxRelay({ pool: bed.pool, connectionString: env.databaseUrl, schema: bed.schema, producer: bed.producer, logger, leadershipRetryMs: 200 });
    first.start();
    await new Promise((r) => setTimeout(r, 500));
    second.start();
    try {
      for (let k = 0; k < 20; k++) await receiveInvoice(`INV-order-${k}`);
      await eventually('all published', async () => (await pending()) === 0);
      expect(first.published).toBe(20);
      expect(second.published).toBe(0);
    } finally {
      await first.stop();
    }
    // The leader is gone: the standby takes over.
    await receiveInvoice('INV-after-failover');
    await eventually('standby published after failover', async () => second.published === 1, 15_000);
    await second.stop();
  });
});
