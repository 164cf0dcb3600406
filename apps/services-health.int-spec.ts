import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createServiceApp, type ServiceDefinition } from '@finmesh/service-kit';
import { serviceKafkaEnv, testEnvironment, uniqueName } from '@finmesh/testing';
import { invoiceSyncService } from '@finmesh/invoice-sync';
import { PaymentSyncService } from '@finmesh/payment-sync';
import { PoSyncService } from '@finmesh/po-sync';
import { ReportingProjectorService } from '@finmesh/reporting-projector';
import { SupplierSyncService } from '@finmesh/supplier-sync';
import { LOCAL_PLATFORM_CREDENTIALS } from '@finmesh/stack';

const SERVICES: ServiceDefinition[] = [SupplierSyncService, PoSyncService, invoiceSyncService({ ...LOCAL_PLATFORM_CREDENTIALS, ...process.env }), PaymentSyncService, ReportingProjectorService];
const env = testEnvironment();
const baseEnv = {
  FINMESH_KAFKA_BROKERS: env.kafkaBrokers.join(','),
  FINMESH_REGISTRY_URL: env.registryUrl,
  FINMESH_DB_URL: env.databaseUrl,
  FINMESH_HTTP_HOST: '127.0.0.1',
  FINMESH_LOG_LEVEL: 'silent',
  FINMESH_JWT_SECRET: 'services-health-test-secret-0123456789abcdef',
};

async function boot(definition: ServiceDefinition, overrides: Record<string, string> = {}): Promise<{ app: INestApplication; url: string }> {
  // Own consumer group and client id: a running local stack uses the plain service names.
  const { app } = await createServiceApp({ ...definition, serviceName: uniqueName(definition.serviceName) }, { ...baseEnv, ...serviceKafkaEnv(definition.serviceName), ...overrides, FINMESH_HTTP_PORT: '1' });
  await app.listen(0, '127.0.0.1'); // any free port: the suites run in parallel
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

describe.each(SERVICES.map((s) => [s.serviceName, s] as const))('%s boots against the real stack', (_name, definition) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('is live and ready, reporting Kafka, the registry and PostgreSQL up, and owns its schema', async () => {
    const booted = await boot(definition);
    app = booted.app;
    const live = await fetch(`${booted.url}/health/live`);
    expect(live.status).toBe(200);
    // Activation (migrations, outbox relay) completes in the background right after start.
    let ready = await fetch(`${booted.url}/health/ready`);
    for (let i = 0; i < 100 && ready.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await fetch(`${booted.url}/health/ready`);
    }
    const report = (await ready.json()) as { status: string; dependencies: Record<string, { status: string }> };
    expect(ready.status).toBe(200);
    expect(report.status).toBe('ready');
    expect(Object.fromEntries(Object.entries(report.dependencies).map(([k, v]) => [k, v.status]))).toEqual({
      kafka: 'up',
      'schema-registry': 'up',
      postgres: 'up',
      activation: 'up',
    });

    const pg = new Client({ connectionString: env.databaseUrl });
    await pg.connect();
    const { rows } = await pg.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [definition.dbSchema]);
    await pg.end();
    expect(rows).toHaveLength(1);
  });

  it('stays live but reports not-ready, naming the dependency, when Kafka is unreachable', async () => {
    const booted = await boot(definition, { FINMESH_KAFKA_BROKERS: '127.0.0.1:1', FINMESH_READY_TIMEOUT_MS: '1500' });
    app = booted.app;
    expect((await fetch(`${booted.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${booted.url}/health/ready`);
    const report = (await ready.json()) as { dependencies: Record<string, { status: string; error?: string }> };
    expect(ready.status).toBe(503);
    expect(report.dependencies['kafka']?.status).toBe('down');
    expect(report.dependencies['kafka']?.error).toBeTruthy();
    expect(report.dependencies['postgres']?.status).toBe('up');
  });
});
