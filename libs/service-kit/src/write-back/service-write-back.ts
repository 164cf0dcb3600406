import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import {
  CircuitBreaker,
  DeliveryLedger,
  ensureDeliveryTables,
  PlatformSink,
  SinkLeadership,
  TokenBucket,
  type DeliveryAnswer,
  type DeliveryContext,
  type DeliveryHandled,
  type DeliverySettings,
  type PlatformConnectionSettings,
  type SinkRole,
} from '@finmesh/connectors';
import { topicNameFor, type EventName } from '@finmesh/contracts';
import { ReliableConsumer, type HandlerContext } from '@finmesh/messaging';
import { ServiceActivation } from '../bootstrap/service-activation';
import { LOGGER, SERVICE_CONFIG } from '../bootstrap/tokens';
import type { ServiceConfig } from '../config/service-config';
import { DatabaseConnection } from '../database/database-connection';
import { KafkaConnection } from '../kafka/kafka-connection';
import { MessagingRuntime } from '../messaging/messaging-runtime';
import { PlatformConnections } from '../platforms/platform-connections';

/**
 * What one canonical event means for a flow: the item to deliver, several (one event that
 * concerns several records, e.g. a payment of two invoices: give each its own `target`, so each
 * has its own delivery key and ledger row), or nothing for this platform.
 */
export type WriteBackSelector<E> = (value: unknown, ctx: HandlerContext) => E | readonly E[] | undefined | Promise<E | readonly E[] | undefined>;

/**
 * One write-back flow: which canonical events it consumes, what each means for the platform, and
 * how it is delivered. `deliver` gets the handler's transaction (`context.transaction`) to read
 * the service's own state (the supplier number, the AP invoice id) in the snapshot the delivery
 * commits with.
 */
export interface WriteBackFlow<E, R = unknown> {
  readonly connection: PlatformConnectionSettings;
  /** The platform's shared call budget and breaker (the first flow of a platform sets them). */
  readonly delivery: DeliverySettings;
  /** e.g. 'supplier-holds'; with the platform it names the sink (ledger, metrics, leader lock). */
  readonly flow: string;
  readonly events: Partial<Record<EventName, WriteBackSelector<E>>>;
  readonly deliver: (item: E, context: DeliveryContext<EntityManager>) => Promise<DeliveryAnswer<R>>;
  /**
   * Applies the delivery's outcome to the service's own state, in the handler's transaction (so
   * it commits with the delivered mark and the inbox row; `ctx.emit` goes through the outbox).
   * Called for every item, `already_delivered` included (then without answer or result: what the
   * first delivery applied committed with its mark). Not called when the delivery threw.
   */
  readonly onDelivered?: (item: E, delivery: DeliveryHandled<R>, ctx: HandlerContext) => Promise<void>;
  /** What the event is delivered to when one flow has several targets; default: the flow. */
  readonly target?: (item: E) => string;
  /** The platform's own identity of the thing, recorded in the ledger. */
  readonly naturalKey?: (item: E) => string | undefined;
  /** When the canonical event was committed (its envelope's occurredAt), for the latency metric. */
  readonly occurredAt?: (item: E) => Date | undefined;
}

/** How long a flow waits before trying to start again when its ledger table could not be ensured. */
const START_RETRY_MS = 5_000;

export interface WriteBackStatus {
  readonly sink: string;
  readonly role: SinkRole;
}

interface PlatformGuard {
  readonly bucket: TokenBucket;
  readonly breaker: CircuitBreaker;
}

/**
 * A service's write-back sinks, run the one way (docs/service-conventions.md, "Platform calls,
 * polls and sinks"): each flow is a PlatformSink in its own consumer group, fed in order per
 * business key (the topic's key), run on one instance at a time (SinkLeadership), with its
 * delivery ledger in the service's schema. The flows of a platform share one token bucket and
 * one breaker, so they keep to the platform's budget together and an outage pauses them all.
 * Its consumer group is `<service>.write-back.<platform>.<flow>`.
 * Failures go through the consumer runtime: retried with backoff, partitions held while the
 * breaker is open, refusals dead-lettered to the topic's DLT (`finmesh dlt` replays them; a
 * delivered event is never called again, the ledger answers it).
 */
@Injectable()
export class ServiceWriteBack implements BeforeApplicationShutdown {
  private readonly guards = new Map<string, PlatformGuard>();
  private readonly sinks: Array<{ readonly sink: string; readonly leadership: SinkLeadership }> = [];
  private stopping = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly database: DatabaseConnection,
    private readonly kafka: KafkaConnection,
    private readonly messaging: MessagingRuntime,
    private readonly platforms: PlatformConnections,
    private readonly activation: ServiceActivation,
  ) {}

  /** Registers a flow; it starts consuming once the service is activated and it leads the sink. */
  register<E, R = unknown>(flow: WriteBackFlow<E, R>): void {
    const platform = flow.connection.platform;
    const sinkName = `${platform}:${flow.flow}`;
    if (this.sinks.some((s) => s.sink === sinkName)) throw new Error(`write-back flow ${sinkName} is registered twice`);
    const schema = this.config.database.schema;
    const logger = this.logger.child({ component: 'write-back', platform, flow: flow.flow });
    const guard = this.guardOf(platform, flow.delivery, logger);
    const sink = new PlatformSink<E, EntityManager, R>({
      platform,
      flow: flow.flow,
      client: this.platforms.client(flow.connection),
      bucket: guard.bucket,
      breaker: guard.breaker,
      ledger: new DeliveryLedger(schema),
      journal: this.database.pgPool(),
      deliver: (item, context) => flow.deliver(item, context),
      ...(flow.target ? { target: flow.target } : {}),
      ...(flow.naturalKey ? { naturalKey: flow.naturalKey } : {}),
      ...(flow.occurredAt ? { occurredAt: flow.occurredAt } : {}),
      observer: this.platforms.deliveryObserver,
    });
    const handlers: Record<string, (value: unknown, ctx: HandlerContext) => Promise<void>> = {};
    const topics = new Set<string>();
    for (const [event, select] of Object.entries(flow.events) as Array<[EventName, WriteBackSelector<E>]>) {
      topics.add(topicNameFor(event, this.config.topicPrefix));
      handlers[event] = async (value, ctx) => {
        const selected = await select(value, ctx);
        if (selected === undefined) return;
        // In order, in the one transaction: a retry re-enters at the first item not delivered
        // (the ledger answers the ones before it without a call).
        for (const item of isList(selected) ? selected : [selected]) {
          const delivery = await sink.handleWithResult(ctx.eventId, ctx.key, item, ctx.manager);
          await flow.onDelivered?.(item, delivery, ctx);
        }
      };
    }
    const consumer = new ReliableConsumer({
      kafka: this.kafka.kafka,
      groupId: `${this.config.serviceName}.write-back.${platform}.${flow.flow}`,
      topics: [...topics],
      dataSource: this.database.dataSource,
      schema,
      codec: this.messaging.codec,
      // onDelivered may emit follow-up events (e.g. InvoicePosted): through the service's outbox.
      outbox: this.messaging.outbox,
      handlers,
      logger,
      retry: this.config.consumerRetry,
      fromBeginning: true,
      observer: this.messaging.metricsObserver,
    });
    this.messaging.registerConsumer(consumer);
    const leadership = new SinkLeadership({
      platform,
      flow: flow.flow,
      schema,
      connectionString: this.config.database.url,
      start: () => consumer.start(),
      stop: () => consumer.stop(),
      logger,
    });
    this.sinks.push({ sink: sinkName, leadership });
    // The ledger table first; a database that is not there yet is retried, never a dead flow.
    const start = async (): Promise<void> => {
      try {
        await ensureDeliveryTables(this.database.dataSource, schema);
        if (!this.stopping) leadership.start();
      } catch (err) {
        logger.error({ err, retryInMs: START_RETRY_MS }, 'write-back flow could not start; retrying');
        if (!this.stopping) setTimeout(() => void start(), START_RETRY_MS).unref();
      }
    };
    this.activation.activated.then(start, (err: unknown) => logger.error({ err }, 'write-back flow not started: the service did not activate'));
  }

  status(): WriteBackStatus[] {
    return this.sinks.map((s) => ({ sink: s.sink, role: s.leadership.role }));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.sinks.map((s) => s.leadership.stop()));
  }

  private guardOf(platform: string, settings: DeliverySettings, logger: Logger): PlatformGuard {
    let guard = this.guards.get(platform);
    if (!guard) {
      guard = {
        bucket: new TokenBucket({ platform, capacity: settings.burst, refillPerSecond: settings.ratePerSecond }),
        breaker: new CircuitBreaker({
          platform,
          failureThreshold: settings.breakerFailures,
          coolDownMs: settings.breakerCoolDownMs,
          onStateChange: (change) => {
            logger.warn({ platform, from: change.from, to: change.to }, `the ${platform} breaker is ${change.to}`);
            this.platforms.deliveryObserver.breakerTransition?.(platform, change.to);
          },
        }),
      };
      this.guards.set(platform, guard);
    }
    return guard;
  }
}

function isList<E>(selected: E | readonly E[]): selected is readonly E[] {
  return Array.isArray(selected);
}
