import { randomUUID } from 'node:crypto';
import { KAFKA_ADMIN_PRINCIPAL, KAFKA_SERVICES, kafkaClientSettingsOrThrow, servicePrincipal, type KafkaClientSettings } from '@finmesh/contracts';

/**
 * Where integration tests find the real infrastructure. Defaults are the script-started local
 * stack (`npm run infra:up`); the container mode of global-setup overrides them through env vars.
 */
export interface TestEnvironment {
  readonly kafkaBrokers: string[];
  /** The harness's own connection: the provisioning admin (a super user), unless FINMESH_KAFKA_USERNAME says otherwise. */
  readonly kafka: KafkaClientSettings;
  readonly registryUrl: string;
  readonly databaseUrl: string;
}

export function testEnvironment(env: NodeJS.ProcessEnv = process.env): TestEnvironment {
  return {
    kafkaBrokers: (env['FINMESH_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
    get kafka(): KafkaClientSettings {
      // Read on use: the files exist only once global-setup has brought the stack up.
      return kafkaClientSettingsOrThrow(env, { defaultUsername: KAFKA_ADMIN_PRINCIPAL });
    },
    registryUrl: env['FINMESH_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    databaseUrl: env['FINMESH_DB_URL'] ?? 'postgres://postgres@127.0.0.1:5432/finmesh',
  };
}

/**
 * Kafka settings of a service booted by a test: its brokers and its own principal, so the suite
 * runs every finmesh service under the ACLs production gives it (a service that reads or writes a
 * topic its ACLs do not cover fails its test). Test-only services use the harness's admin.
 */
export function serviceKafkaEnv(serviceName: string, env: TestEnvironment = testEnvironment()): Record<string, string> {
  return {
    FINMESH_KAFKA_BROKERS: env.kafkaBrokers.join(','),
    FINMESH_KAFKA_USERNAME: KAFKA_SERVICES.includes(serviceName) ? servicePrincipal(serviceName) : env.kafka.sasl?.username ?? KAFKA_ADMIN_PRINCIPAL,
  };
}

/** A name no other test (or earlier run) uses: tests share one broker and registry and run in parallel. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
