import { Inject, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { ensureAuditTable } from '@finmesh/messaging';
import type { ServiceConfig } from '../config/service-config';
import { DatabaseConnection } from '../database/database-connection';
import { runSchemaMigrations, type SchemaMigration } from '../database/schema-migrations';
import type { DependencyCheck } from '../health/dependency-check';
import { IdempotencyStore } from '../http-api/idempotency/idempotency-store';
import { KafkaConnection } from '../kafka/kafka-connection';
import { MessagingRuntime } from '../messaging/messaging-runtime';
import { RegistryConnection } from '../registry/registry-connection';
import { LOGGER, SERVICE_CONFIG, SERVICE_MIGRATIONS } from './tokens';

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
