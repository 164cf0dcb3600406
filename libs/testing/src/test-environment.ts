import { randomUUID } from 'node:crypto';

/**
 * Where integration tests find the real infrastructure. Defaults are the script-started local
 * stack (`npm run infra:up`); the container mode of global-setup overrides them through env vars.
 */
export interface TestEnvironment {
  readonly kafkaBrokers: string[];
  readonly registryUrl: string;
  readonly databaseUrl: string;
}

export function testEnvironment(env: NodeJS.ProcessEnv = process.env): TestEnvironment {
  return {
    kafkaBrokers: (env['FINMESH_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
    registryUrl: env['FINMESH_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    databaseUrl: env['FINMESH_DB_URL'] ?? 'postgres://postgres@127.0.0.1:5432/finmesh',
  };
}

/** A name no other test (or earlier run) uses: tests share one broker and registry and run in parallel. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
