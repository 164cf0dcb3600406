import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuthGuard } from '../http-api/auth/auth.guard';
import { JwtVerifier } from '../http-api/auth/jwt-verifier';
import { FieldProblemsFilter } from '../http-api/errors/field-problems.filter';
import { IdempotencyInterceptor } from '../http-api/idempotency/idempotency.interceptor';
import { IdempotencyStore } from '../http-api/idempotency/idempotency-store';
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config/service-config';
import { DatabaseConnection } from '../database/database-connection';
import { DEPENDENCY_CHECKS, type DependencyCheck } from '../health/dependency-check';
import { HealthController } from '../health/health.controller';
import { KafkaConnection } from '../kafka/kafka-connection';
import { RegistryConnection } from '../registry/registry-connection';
import { MessagingRuntime } from '../messaging/messaging-runtime';
import { registerMessagingGauges } from '../metrics/messaging-gauges';
import { MessagingMetrics } from '../metrics/messaging-metrics';
import { MetricsController } from '../metrics/metrics.controller';
import { ServiceMetrics } from '../metrics/service-metrics';
import { LOGGER, SERVICE_CONFIG, SERVICE_MIGRATIONS } from './tokens';
import { runSchemaMigrations, type SchemaMigration } from '../database/schema-migrations';
import { ensureAuditTable } from '@finmesh/messaging';
import { AuditTrail } from '../audit/audit-trail';

/**
 * Connects to the three dependencies at start-up. A dependency that is down does not stop the
 * process: it stays alive, reports not-ready and reconnects on the next readiness probe, which is
 * what an orchestrator expects (crash loops hide the real cause).
 *
 * Activation runs in the background once PostgreSQL answers: the service's schema migrations,
 * the idempotency table, then the outbox relay. `activated` resolves when all of that is done;
 * consumers start only after it (their handlers need the tables), and readiness reports
 * `activation` down until then.
 */
export class ServiceActivation implements OnModuleInit, OnApplicationShutdown, DependencyCheck {
  readonly dependency = 'activation';
  readonly activated: Promise<void>;
  private markActivated: () => void = () => undefined;
  private done = false;
  private lastError: unknown;
  private stopping = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(SERVICE_MIGRATIONS) private readonly migrations: readonly SchemaMigration[],
    private readonly kafka: KafkaConnection,
    private readonly registry: RegistryConnection,
    private readonly database: DatabaseConnection,
    private readonly messaging: MessagingRuntime,
    private readonly idempotency: IdempotencyStore,
  ) {
    this.activated = new Promise((resolve) => (this.markActivated = resolve));
  }

  async onModuleInit(): Promise<void> {
    await Promise.all(
      [this.kafka, this.registry, this.database].map(async (dep) => {
        try {
          await dep.check();
          this.logger.info({ dependency: dep.dependency }, 'dependency connected');
        } catch (err) {
          this.logger.warn({ dependency: dep.dependency, err }, 'dependency not reachable at start-up; will retry');
        }
      }),
    );
    this.activate();
  }

  async check(): Promise<void> {
    if (this.done) return;
    throw new Error(`not activated yet${this.lastError ? `: ${(this.lastError as Error).message ?? String(this.lastError)}` : ''}`);
  }

  private activate(): void {
    this.attempt = (async () => {
      const ds = await this.database.initialize();
      const applied = await runSchemaMigrations(ds, this.config.database.schema, this.migrations);
      if (applied.length > 0) this.logger.info({ applied }, 'schema migrations applied');
      // The shared, append-only audit table every service writes its state transitions to.
      await ensureAuditTable(ds);
      await this.idempotency.ensureTable();
      await this.messaging.startRelay();
      this.done = true;
      this.markActivated();
    })().catch((err: unknown) => {
      this.lastError = err;
      if (this.stopping) return;
      this.logger.warn({ err }, 'service not activated yet; retrying in 5 s');
      this.retryTimer = setTimeout(() => this.activate(), 5000);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.attempt; // an activation still in flight must finish before it can be stopped
    await this.messaging.stop().catch(() => undefined);
    await Promise.allSettled([this.kafka.close(), this.database.close()]);
  }
}

export interface ServiceKitOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly migrations?: readonly SchemaMigration[];
}

@Global()
@Module({})
export class ServiceKitModule {
  static forRoot({ config, logger, migrations = [] }: ServiceKitOptions): DynamicModule {
    return {
      module: ServiceKitModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: SERVICE_MIGRATIONS, useValue: migrations },
        {
          provide: KafkaConnection,
          useFactory: () => new KafkaConnection({ brokers: config.kafka.brokers, clientId: config.kafka.clientId }, logger),
        },
        { provide: RegistryConnection, useFactory: () => new RegistryConnection(config.registry.url) },
        {
          provide: DatabaseConnection,
          useFactory: () =>
            new DatabaseConnection({
              url: config.database.url,
              schema: config.database.schema,
              poolSize: config.database.poolSize,
              applicationName: config.serviceName,
            }),
        },
        {
          provide: DEPENDENCY_CHECKS,
          useFactory: (k: KafkaConnection, r: RegistryConnection, d: DatabaseConnection, a: ServiceActivation): DependencyCheck[] => [k, r, d, a],
          inject: [KafkaConnection, RegistryConnection, DatabaseConnection, ServiceActivation],
        },
        // One registry per application (not prom-client's global one): tests run several services in one process.
        { provide: ServiceMetrics, useFactory: () => new ServiceMetrics(config.serviceName) },
        {
          provide: MessagingRuntime,
          useFactory: (k: KafkaConnection, d: DatabaseConnection, m: ServiceMetrics) => {
            const runtime = new MessagingRuntime(config, k, d, logger, new MessagingMetrics(m));
            registerMessagingGauges(m, {
              kafka: k,
              database: d,
              schema: config.database.schema,
              subscriptions: () => runtime.subscriptions(),
              logger: logger.child({ component: 'metrics' }),
            });
            return runtime;
          },
          inject: [KafkaConnection, DatabaseConnection, ServiceMetrics],
        },
        { provide: JwtVerifier, useFactory: () => new JwtVerifier(config.jwt) },
        {
          provide: IdempotencyStore,
          useFactory: (d: DatabaseConnection) => new IdempotencyStore(d.dataSource, config.database.schema),
          inject: [DatabaseConnection],
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: FieldProblemsFilter },
        ServiceActivation,
        AuditTrail,
      ],
      exports: [SERVICE_CONFIG, LOGGER, ServiceMetrics, KafkaConnection, RegistryConnection, DatabaseConnection, MessagingRuntime, IdempotencyStore, ServiceActivation, AuditTrail],
    };
  }
}
