import type { INestApplication } from '@nestjs/common';
import { createServiceApp, MessagingRuntime, ServiceActivation, type ServiceDefinition } from '@finmesh/service-kit';
import { env } from './messaging-fixtures';
import { serviceKafkaEnv, uniqueName } from './test-environment';

export interface ServiceUnderTest {
  readonly app: INestApplication;
  /** http://127.0.0.1:<port> */
  readonly url: string;
}

/**
 * Boots a service as production runs it (HTTP API, outbox relay, finmesh consumers) on the real
 * stack, isolated: its topic namespace, its db schema, and its own consumer group (a running
 * local stack uses the plain service names). Resolves once its consumers are started.
 */
export async function startServiceUnderTest(
  definition: ServiceDefinition,
  isolation: { readonly topicPrefix: string; readonly dbSchema: string; readonly jwtSecret: string },
  extraSettings: Readonly<Record<string, string>> = {},
): Promise<ServiceUnderTest> {
  const settings: Record<string, string> = {
    FINMESH_TOPIC_PREFIX: isolation.topicPrefix,
    FINMESH_DB_SCHEMA: isolation.dbSchema,
    FINMESH_JWT_SECRET: isolation.jwtSecret,
    FINMESH_LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    ...serviceKafkaEnv(definition.serviceName, env),
    FINMESH_REGISTRY_URL: env.registryUrl,
    FINMESH_DB_URL: env.databaseUrl,
    ...extraSettings,
  };
  const { app } = await createServiceApp(
    { ...definition, serviceName: uniqueName(`${definition.serviceName}-it`), dbSchema: isolation.dbSchema },
    settings,
  );
  app.get(MessagingRuntime).connectTo(app);
  await app.listen(0, '127.0.0.1');
  await app.get(ServiceActivation).activated;
  await app.startAllMicroservices();
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
