import 'reflect-metadata';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { writesWithoutBodySchema } from '../http-api/request-schemas/request-schema';
import { securityHeaders } from '../http-api/security-headers/security-headers';
import type { Logger } from 'pino';
import { ConfigError, loadServiceConfig, type ServiceConfig, type ServiceDefaults } from '../config/service-config';
import { createLogger, PinoNestLogger } from '../logging/logger';
import { correlationIdMiddleware, requestIdMiddleware } from '../logging/log-context';
import { requestSpanMiddleware } from '../http-api/tracing/request-span.middleware';
import { jsonBodyParser } from '../http-api/input-limits/json-body-parser';
import { initTracing } from '@finmesh/messaging';
import { MessagingRuntime } from '../messaging/messaging-runtime';
import { ServiceActivation, ServiceKitModule } from './service-kit.module';
import type { SchemaMigration } from '../database/schema-migrations';

export interface ServiceDefinition extends ServiceDefaults {
  /** The service's own domain module (controllers, handlers). */
  readonly domainModule?: Type<unknown>;
  /** The service's tables, applied in order before its consumers start. */
  readonly migrations?: readonly SchemaMigration[];
}

export interface RunningService {
  readonly app: INestApplication;
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly url: string;
}

/** Builds the Nest application of a service without listening: used by `startService` and by tests. */
export async function createServiceApp(
  definition: ServiceDefinition,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ app: INestApplication; config: ServiceConfig; logger: Logger }> {
  const config = loadServiceConfig(definition, env);
  const logger = createLogger(config.serviceName, config.logLevel);

  @Module({
    imports: [ServiceKitModule.forRoot({ config, logger, migrations: definition.migrations ?? [] }), ...(definition.domainModule ? [definition.domainModule] : [])],
  })
  class ServiceRootModule {}

  const app = await NestFactory.create(ServiceRootModule, { logger: new PinoNestLogger(logger), abortOnError: false, bodyParser: false });
  app.enableShutdownHooks();
  // Every request with its request id, in a server span and with its correlation id, so its log
  // lines carry all three; the security headers; then the one JSON body parser
  // (input-limits/json-body-parser.ts).
  app.use(requestIdMiddleware, requestSpanMiddleware, correlationIdMiddleware, securityHeaders(), jsonBodyParser());
  try {
    serveOpenApiDocument(app, config.serviceName);
  } catch (err) {
    await app.close();
    throw err;
  }
  return { app, config, logger };
}

/** Creates and starts a service; resolves once it listens. */
export async function startService(
  definition: ServiceDefinition,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<RunningService> {
  const { app, config, logger } = await createServiceApp(definition, env);
  const tracing = initTracing({ serviceName: config.serviceName, otlpEndpoint: config.otlpEndpoint });
  // Not inheritAppConfig: HTTP guards, interceptors and filters (tokens, idempotency keys, 422s)
  // have no meaning for event handlers, whose errors the transport classifies itself.
  app.get(MessagingRuntime).connectTo(app);
  await app.listen(config.http.port, config.http.host);
  // Consumers start once the tables exist and the relay runs; health answers meanwhile.
  void app
    .get(ServiceActivation)
    .activated.then(() => app.startAllMicroservices())
    .then(() => logger.info('consumers started'))
    .catch((err: unknown) => logger.error({ err }, 'consumers failed to start'));
  process.once('beforeExit', () => void tracing.shutdown());
  const url = `http://${config.http.host}:${config.http.port}`;
  logger.info({ url }, `${config.serviceName} listening`);
  return { app, config, logger, url };
}

/**
 * Entry point for a service's main.ts: bad configuration exits with code 2 and a message naming
 * every bad setting; any other start-up failure exits with code 1.
 */
export function runServiceMain(definition: ServiceDefinition): void {
  startService(definition).catch((err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${definition.serviceName}: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${definition.serviceName}: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}

/**
 * `main` of a service with settings of its own (read by `build` from the environment): its own
 * settings and service-kit's are both checked before anything starts, and a bad deployment is
 * reported in one go (exit code 2, one line per bad setting) whichever of them is wrong.
 */
export function runConfiguredServiceMain(
  defaults: ServiceDefaults,
  build: (env: Readonly<Record<string, string | undefined>>) => ServiceDefinition,
  env: Readonly<Record<string, string | undefined>> = process.env,
): void {
  let definition: ServiceDefinition | undefined;
  const problems: string[] = [];
  for (const check of [() => (definition = build(env)), () => loadServiceConfig(defaults, env)]) {
    try {
      check();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (definition === undefined || problems.length > 0) {
    process.stderr.write(`${defaults.serviceName}: ${new ConfigError(problems).message}\n`);
    process.exit(2);
  }
  runServiceMain(definition);
}

/**
 * Each service documents its own /v1 API at GET /v1/openapi.json (no token needed, OpenAPI 3.1):
 * the routes, the bearer-token scheme, per operation the roles it admits, and for each write the
 * JSON Schema its request schema emits. Built at creation, so a write endpoint without a request
 * schema stops the service before it serves anything.
 */
function serveOpenApiDocument(app: INestApplication, serviceName: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle(`finmesh ${serviceName}`)
      .setDescription(`System/process API of ${serviceName}. Write endpoints require an Idempotency-Key header.`)
      .setVersion('v1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  const undeclared = writesWithoutBodySchema(document);
  if (undeclared.length > 0) throw new Error(`${serviceName}: write endpoints without a request schema (@RequestSchema): ${undeclared.join(', ')}`);
  app.getHttpAdapter().get('/v1/openapi.json', (_req: unknown, res: { json(body: unknown): void }) => {
    res.json(document);
  });
}
