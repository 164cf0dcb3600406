/**
 * A Fusion poll in a process of its own, for the kill -9 test of the connectors' poller
 * (libs/connectors/src/polling/poller-crash.int-spec.ts): polls the ERP simulator's `suppliers`
 * collection (HTTP Basic, LastUpdateDate watermark, small pages) and applies each supplier as one
 * row in `<schema>.applied` inside the page's transaction, slowly, so a kill lands mid-page.
 * Env: FINMESH_DB_URL, POLL_SCHEMA, ERP_URL, POLL_PAGE_SIZE, POLL_APPLY_DELAY_MS.
 */
import { Pool, type PoolClient } from 'pg';
import pino from 'pino';
import { pgTransactionRunner } from '@finmesh/persistence';
import {
  fusionPoll,
  PlatformHttpClient,
  BasicAuthorizer,
  PollingRuntime,
  PollLedger,
  Secret,
  type TransactionRunner,
} from '@finmesh/connectors';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const databaseUrl = env('FINMESH_DB_URL');
  const schema = env('POLL_SCHEMA');
  const delayMs = Number(process.env['POLL_APPLY_DELAY_MS'] ?? '20');
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const transaction: TransactionRunner<PoolClient> = pgTransactionRunner(pool);
  const client = new PlatformHttpClient({
    platform: 'fusion',
    baseUrl: `${env('ERP_URL')}/fscmRestApi/resources/11.13.18.05`,
    authorizer: new BasicAuthorizer({ kind: 'basic', username: 'finmesh', password: new Secret('finmesh-dev') }),
  });
  const runtime = new PollingRuntime({ schema, connectionString: databaseUrl, logger: pino({ level: 'silent' }) });
  runtime.add(
    fusionPoll<PoolClient>(
      { client, ledger: new PollLedger(schema), transaction, settings: { enabled: true, intervalMs: 50, overlapMs: 5000, pageSize: Number(process.env['POLL_PAGE_SIZE'] ?? '5') } },
      {
        resource: 'suppliers',
        keyAttribute: 'SupplierId',
        handler: async (record, tx) => {
          await tx.query(`INSERT INTO "${schema}".applied (record_key, version) VALUES ($1, $2)`, [record.key, record.version]);
          await new Promise((r) => setTimeout(r, delayMs));
        },
      },
    ),
  );
  runtime.start();
  process.stdout.write('poller started\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
