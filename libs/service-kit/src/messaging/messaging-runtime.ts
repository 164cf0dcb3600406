import type { INestApplication, INestMicroservice } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { EventCodec, localSchemaSource, topicNameFor } from '@finmesh/contracts';
import {
  ensureOutboxTable,
  FinmeshKafkaTransport,
  OutboxRelay,
  type MessagingObserver,
  type ReliableConsumer,
  OutboxWriter,
} from '@finmesh/messaging';
import type { ServiceConfig } from '../config/service-config';
import type { DatabaseConnection } from '../database/database-connection';
import type { KafkaConnection } from '../kafka/kafka-connection';
import type { ConsumerSubscription } from '../metrics/messaging-gauges';

/**
 * A service's messaging: the codec, the outbox writer its domain code uses, the relay that
 * publishes the outbox, and the NestJS transport that runs its @EventPattern handlers.
 * The relay starts once the database is reachable; until then readiness reports the database down.
 */
export class MessagingRuntime {
  readonly codec: EventCodec;
  readonly outbox: OutboxWriter;
  private relay: OutboxRelay | undefined;
  private producer: Producer | undefined;
  private readonly transports: FinmeshKafkaTransport[] = [];
  private readonly ownConsumers: ReliableConsumer[] = [];

  constructor(
    private readonly config: ServiceConfig,
    private readonly kafka: KafkaConnection,
    private readonly database: DatabaseConnection,
    private readonly logger: Logger,
    /** Metrics hooks for the consumers and the relay (service-kit's MessagingMetrics). */
    private readonly observer?: MessagingObserver,
  ) {
    this.codec = EventCodec.create(config.registry.url, localSchemaSource());
    this.outbox = new OutboxWriter(this.codec, config.database.schema, (event) => topicNameFor(event, config.topicPrefix));
  }

  /**
   * Connects the service's consumers to a Nest application: the finmesh transport, with handler
   * errors passed through unchanged so the runtime can classify them. Start them with
   * `app.startAllMicroservices()` once the service is activated.
   */
  connectTo(app: INestApplication): INestMicroservice {
    // inheritAppConfig: a connected microservice is initialised at once, so it cannot get global
    // filters of its own; it shares the app's, which pass event-handler errors through unchanged
    // (FieldProblemsFilter) and ignore non-HTTP contexts (AuthGuard, IdempotencyInterceptor).
    return app.connectMicroservice({ strategy: this.transport() }, { inheritAppConfig: true });
  }

  /** The transport for `app.connectMicroservice({ strategy })`; group id = service name. */
  transport(): FinmeshKafkaTransport {
    const transport = new FinmeshKafkaTransport({
      kafka: this.kafka.kafka,
      groupId: this.config.serviceName,
      dataSource: this.database.dataSource,
      schema: this.config.database.schema,
      codec: this.codec,
      logger: this.logger.child({ component: 'consumer' }),
      outbox: this.outbox,
      topicPrefix: this.config.topicPrefix,
      retry: this.config.consumerRetry,
      observer: this.observer,
    });
    this.transports.push(transport);
    return transport;
  }

  /**
   * The metrics hooks, for a consumer a service builds itself instead of through `transport()`
   * (e.g. a projection with batch handlers): pass it as the consumer's `observer` option.
   */
  get metricsObserver(): MessagingObserver | undefined {
    return this.observer;
  }

  /** Includes a consumer built outside `transport()` in the consumer-lag and dead-letter-depth metrics. */
  registerConsumer(consumer: ReliableConsumer): void {
    if (!this.ownConsumers.includes(consumer)) this.ownConsumers.push(consumer);
  }

  /** What the running consumers read (consumer lag and dead-letter depth metrics). */
  subscriptions(): ConsumerSubscription[] {
    const consumers = [...this.transports.flatMap((t) => [t.reliableConsumer, t.ingressConsumer].filter((c): c is ReliableConsumer => c !== undefined)), ...this.ownConsumers];
    return consumers.map((c) => c.subscription);
  }

  async startRelay(): Promise<void> {
    const ds = await this.database.initialize();
    await ensureOutboxTable(ds, this.config.database.schema);
    this.producer = this.kafka.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.relay = new OutboxRelay({
      pool: this.database.pgPool(),
      connectionString: this.config.database.url,
      schema: this.config.database.schema,
      producer: this.producer,
      logger: this.logger.child({ component: 'outbox-relay' }),
      observer: this.observer,
    });
    this.relay.start();
  }

  get relayRunning(): boolean {
    return this.relay !== undefined;
  }

  async stop(): Promise<void> {
    await this.relay?.stop();
    await this.producer?.disconnect();
    this.relay = undefined;
    this.producer = undefined;
  }
}
