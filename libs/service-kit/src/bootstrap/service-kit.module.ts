import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuthGuard } from '../http-api/auth/auth.guard';
import { JwtVerifier } from '../http-api/auth/jwt-verifier';
import { FieldProblemsFilter } from '../http-api/errors/field-problems.filter';
import { InputLimitsInterceptor } from '../http-api/input-limits/input-limits.interceptor';
import { IdempotencyInterceptor } from '../http-api/idempotency/idempotency.interceptor';
import { RequestSchemaInterceptor } from '../http-api/request-schemas/request-schema';
import { RateLimitGuard } from '../http-api/rate-limits/rate-limits';
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

export { ServiceActivation } from './service-activation';
import type { SchemaMigration } from '../database/schema-migrations';
import { AuditTrail } from '../audit/audit-trail';
import { ServiceActivation } from './service-activation';
import { PlatformConnections } from '../platforms/platform-connections';
import { ServicePolling } from '../polling/service-polling';
import { ServiceWriteBack } from '../write-back/service-write-back';
import { DeliveriesController } from '../deliveries/deliveries.controller';

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
      controllers: [HealthController, MetricsController, DeliveriesController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        { provide: SERVICE_MIGRATIONS, useValue: migrations },
        {
          provide: KafkaConnection,
          useFactory: () => new KafkaConnection(config.kafka, logger),
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
        // After the token check: the buckets are per client.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        // In this order: a body breaking the input limits never reaches the idempotency claim.
        { provide: APP_INTERCEPTOR, useClass: InputLimitsInterceptor },
        { provide: APP_INTERCEPTOR, useClass: RequestSchemaInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: FieldProblemsFilter },
        ServiceActivation,
        AuditTrail,
        PlatformConnections,
        ServicePolling,
        ServiceWriteBack,
      ],
      exports: [SERVICE_CONFIG, LOGGER, ServiceMetrics, KafkaConnection, RegistryConnection, DatabaseConnection, MessagingRuntime, IdempotencyStore, ServiceActivation, AuditTrail, PlatformConnections, ServicePolling, ServiceWriteBack],
    };
  }
}
