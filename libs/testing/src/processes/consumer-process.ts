/**
 * A real ReliableConsumer in its own process, for crash tests. It records one effect row per
 * applied event in `<CONSUMER_SCHEMA>.effects` and sleeps CONSUMER_DELAY_MS per event so a
 * SIGKILL lands in the middle of a batch.
 */
import pino from 'pino';
import { ReliableConsumer } from '@finmesh/messaging';
import { testCodec, testDataSource, testKafka } from '../messaging-fixtures';

async function main(): Promise<void> {
  const schema = process.env['CONSUMER_SCHEMA']!;
  const delay = Number(process.env['CONSUMER_DELAY_MS'] ?? '0');
  const ds = await testDataSource(schema);
  const consumer = new ReliableConsumer({
    kafka: testKafka('consumer-process'),
    groupId: process.env['CONSUMER_GROUP']!,
    topics: [process.env['CONSUMER_TOPIC']!],
    dataSource: ds,
    schema,
    codec: testCodec(),
    logger: pino({ level: 'warn' }),
    maxRecordsPerTransaction: Number(process.env['CONSUMER_MAX_RUN'] ?? '50'),
    handlers: {
      InvoiceReceived: async (value, ctx) => {
        await ctx.manager.query('INSERT INTO effects (event_id, invoice_id) VALUES ($1, $2)', [ctx.eventId, (value as { invoiceId: string }).invoiceId]);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      },
    },
  });
  await consumer.start();
  process.stdout.write('consumer-started\n');
  process.on('SIGTERM', () => {
    void consumer.stop().then(() => ds.destroy()).then(() => process.exit(0));
  });
}

void main();
