/**
 * A real outbox relay in its own process, for crash tests. Env: RELAY_SCHEMA, RELAY_BATCH_SIZE,
 * RELAY_CRASH_AFTER_PRODUCE=1 to SIGKILL itself after the broker acknowledged the first batch and
 * before the rows are marked published: the worst moment for a relay to die.
 */
import { Pool } from 'pg';
import pino from 'pino';
import { OutboxRelay } from '@finmesh/messaging';
import { env, testKafka } from '../messaging-fixtures';

async function main(): Promise<void> {
  const schema = process.env['RELAY_SCHEMA']!;
  const producer = testKafka('relay-process').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  const relay = new OutboxRelay({
    pool,
    connectionString: env.databaseUrl,
    schema,
    producer,
    logger: pino({ level: 'warn' }),
    batchSize: Number(process.env['RELAY_BATCH_SIZE'] ?? '100'),
    afterProduce: () => {
      if (process.env['RELAY_CRASH_AFTER_PRODUCE'] === '1') process.kill(process.pid, 'SIGKILL');
    },
  });
  relay.start();
  process.on('SIGTERM', () => {
    void relay.stop().then(() => producer.disconnect()).then(() => pool.end()).then(() => process.exit(0));
  });
}

void main();
