import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import { prefixedTopics } from '@finmesh/contracts';
import { ReliableConsumer } from '@finmesh/messaging';
import type { SqlExecutor } from '@finmesh/persistence';
import { liveProjectionHandlers, type ProjectedEvent } from '@finmesh/projection';
import { DatabaseConnection, KafkaConnection, LOGGER, MessagingRuntime, SERVICE_CONFIG, ServiceActivation, type ServiceConfig } from '@finmesh/service-kit';
import { REPORTING_PROJECTION } from '../read-models/reporting-projection';
import { projectionObservations } from './projection-observation-store';

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * The live side of the projector: its own consumer group (the service name), reading every
 * canonical topic from the beginning, so a new projector catches up on the full history and its
 * lag never holds back the posting or payment services.
 */
@Injectable()
export class LiveProjection implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: ReliableConsumer | undefined;
  private stopping = false;
  private lastPrunedAt = 0;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly activation: ServiceActivation,
    private readonly kafka: KafkaConnection,
    private readonly database: DatabaseConnection,
    private readonly messaging: MessagingRuntime,
  ) {}

  get schema(): string {
    return this.config.database.schema;
  }

  get topics(): string[] {
    return prefixedTopics(this.config.topicPrefix).map((t) => t.name);
  }

  get groupId(): string {
    return this.config.serviceName;
  }

  /** For the rebuild's COPY and staging sessions (see DatabaseConnection.pgPool). */
  get pool(): Pool {
    return this.database.pgPool();
  }

  onApplicationBootstrap(): void {
    void this.activation.activated
      .then(() => this.start())
      .catch((err: unknown) => this.logger.error({ err }, 'live projection failed to start'));
  }

  private async start(): Promise<void> {
    if (this.stopping) return;
    this.consumer = new ReliableConsumer({
      kafka: this.kafka.kafka,
      groupId: this.groupId,
      topics: this.topics,
      dataSource: this.database.dataSource,
      schema: this.schema,
      codec: this.messaging.codec,
      handlers: {},
      batchHandlers: liveProjectionHandlers({ projection: REPORTING_PROJECTION, schema: this.schema, afterBatch: (exec, events) => this.observe(exec, events) }),
      logger: this.logger.child({ component: 'live-projection' }),
      retry: this.config.consumerRetry,
      fromBeginning: true,
      observer: this.messaging.metricsObserver,
    });
    this.messaging.registerConsumer(this.consumer);
    await this.consumer.start();
    this.logger.info({ topics: this.topics, groupId: this.groupId }, 'live projection started');
  }

  /** Projection latency per event (occurred → projected) and a change notification for the dashboard. */
  private async observe(exec: SqlExecutor, events: readonly ProjectedEvent[]): Promise<void> {
    await projectionObservations.recordLatencies(exec, this.schema, events);
    if (Date.now() - this.lastPrunedAt > PRUNE_EVERY_MS) {
      this.lastPrunedAt = Date.now();
      await projectionObservations.pruneLatencies(exec, this.schema);
    }
    await projectionObservations.notifyChanged(exec, this.schema);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.consumer?.stop();
  }
}
