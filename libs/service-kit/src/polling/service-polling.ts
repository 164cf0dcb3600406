import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import {
  ensurePollTables,
  PollingRuntime,
  PollLedger,
  type PlatformConnectionSettings,
  type PollContext,
  type PollDefinition,
  type PollerStatus,
  type PollSettings,
} from '@finmesh/connectors';
import { ServiceActivation } from '../bootstrap/service-activation';
import { LOGGER, SERVICE_CONFIG } from '../bootstrap/tokens';
import type { ServiceConfig } from '../config/service-config';
import { DatabaseConnection } from '../database/database-connection';
import { PlatformConnections } from '../platforms/platform-connections';

/**
 * A service's platform polls, run the one way: in the service's schema (poll ledger and
 * watermarks next to its tables), in TypeORM transactions, through the service's platform
 * connections (shared tokens and metrics), started once the service is activated (its tables
 * exist) and stopped before the database closes.
 */
@Injectable()
export class ServicePolling implements BeforeApplicationShutdown {
  private readonly runtimes: PollingRuntime[] = [];
  private stopping = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly database: DatabaseConnection,
    private readonly activation: ServiceActivation,
    private readonly platforms: PlatformConnections,
  ) {}

  /** Polls one platform with `polls`, unless its settings turn polling off. */
  poll(connection: PlatformConnectionSettings, settings: PollSettings, polls: (ctx: PollContext<EntityManager>) => readonly PollDefinition[]): void {
    // The pollers name the platform and resource in each line themselves.
    const logger = this.logger.child({ component: 'polling' });
    if (!settings.enabled) {
      logger.info({ platform: connection.platform }, 'polling is off for this platform');
      return;
    }
    const schema = this.config.database.schema;
    const observer = this.platforms.observer;
    const runtime = new PollingRuntime({ schema, connectionString: this.config.database.url, logger, observer });
    this.runtimes.push(runtime);
    const ctx: PollContext<EntityManager> = {
      client: this.platforms.client(connection),
      ledger: new PollLedger(schema),
      transaction: (work) => this.database.dataSource.transaction((manager) => work(manager)),
      settings,
      observer,
    };
    for (const definition of polls(ctx)) runtime.add(definition);
    this.activation.activated
      .then(async () => {
        await ensurePollTables(this.database.dataSource, schema);
        if (!this.stopping) runtime.start();
        logger.info({ platform: connection.platform, resources: runtime.status().map((s) => s.resource) }, 'polling started');
      })
      .catch((err: unknown) => logger.error({ err }, 'polling could not start'));
  }

  status(): PollerStatus[] {
    return this.runtimes.flatMap((r) => r.status());
  }

  /** Wakes every poller for an immediate cycle (tests, the demo). */
  pollNow(): void {
    for (const r of this.runtimes) r.pollNow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.runtimes.map((r) => r.stop()));
  }
}
