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
import { LOGGER, SERVICE_CONFIG } from './tokens';

/**
 * Connects to the three dependencies at start-up. A dependency that is down does not stop the
 * process: it stays alive, reports not-ready and reconnects on the next readiness probe, which is
 * what an orchestrator expects (crash loops hide the real cause).
 */
class ConnectionLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly kafka: KafkaConnection,
    private readonly registry: RegistryConnection,
    private readonly database: DatabaseConnection,
    private readonly messaging: MessagingRuntime,
    private readonly idempotency: IdempotencyStore,
  ) {}

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
    this.startRelayWhenDatabaseIsUp();
  }

  /** The outbox relay needs the database; keep trying in the background rather than failing start-up. */
  private startRelayWhenDatabaseIsUp(): void {
    this.relayStarting = (async () => {
      await this.messaging.startRelay();
      await this.idempotency.ensureTable();
    })().catch((err: unknown) => {
      if (this.stopping) return;
      this.logger.warn({ err }, 'outbox relay not started yet; retrying in 5 s');
      this.retryTimer = setTimeout(() => this.startRelayWhenDatabaseIsUp(), 5000);
    });
  }

  private stopping = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private relayStarting: Promise<void> | undefined;

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.relayStarting; // a start still in flight must finish before it can be stopped
    await this.messaging.stop().catch(() => undefined);
    await Promise.allSettled([this.kafka.close(), this.database.close()]);
  }
}

export interface ServiceKitOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
}

@Global()
@Module({})
export class ServiceKitModule {
  static forRoot({ config, logger }: ServiceKitOptions): DynamicModule {
    return {
      module: ServiceKitModule,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
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
          useFactory: (k: KafkaConnection, r: RegistryConnection, d: DatabaseConnection): DependencyCheck[] => [k, r, d],
          inject: [KafkaConnection, RegistryConnection, DatabaseConnection],
        },
        {
          provide: MessagingRuntime,
          useFactory: (k: KafkaConnection, d: DatabaseConnection) => new MessagingRuntime(config, k, d, logger),
          inject: [KafkaConnection, DatabaseConnection],
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
        ConnectionLifecycle,
      ],
      exports: [SERVICE_CONFIG, LOGGER, KafkaConnection, RegistryConnection, DatabaseConnection, MessagingRuntime, IdempotencyStore],
    };
  }
}
