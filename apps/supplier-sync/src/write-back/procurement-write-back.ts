import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import {
  CircuitBreaker,
  DeliveryLedger,
  ensureDeliveryTables,
  PlatformSink,
  SinkLeadership,
  TokenBucket,
} from '@finmesh/connectors';
import { topicNameFor, type SupplierBlocked, type SupplierUnblocked } from '@finmesh/contracts';
import { ReliableConsumer, type HandlerContext } from '@finmesh/messaging';
import { DatabaseConnection, KafkaConnection, LOGGER, MessagingRuntime, PlatformConnections, SERVICE_CONFIG, ServiceActivation, type ServiceConfig } from '@finmesh/service-kit';
import { SUPPLIER_SYNC_SETTINGS, type SupplierSyncSettings } from '../settings/supplier-sync-settings';
import { SupplierStore } from '../suppliers/supplier-store';
import { concernsProcurement, deliverSupplierHold, type SupplierHoldEvent } from './procurement-supplier-hold';

/**
 * Supplier holds to the procurement platform, through one PlatformSink (flow `supplier-holds`):
 * its own consumer group on the supplier topic, one active instance (SinkLeadership), Coupa's rate
 * limit and a breaker per platform, the delivery ledger in this service's schema. Runs when the
 * Coupa connection is configured (FINMESH_COUPA_*).
 */
@Injectable()
export class ProcurementWriteBack implements OnApplicationBootstrap, OnApplicationShutdown {
  private leadership: SinkLeadership | undefined;
  private readonly store = new SupplierStore();

  constructor(
    @Inject(SUPPLIER_SYNC_SETTINGS) private readonly settings: SupplierSyncSettings,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly database: DatabaseConnection,
    private readonly kafka: KafkaConnection,
    private readonly messaging: MessagingRuntime,
    private readonly platforms: PlatformConnections,
    private readonly activation: ServiceActivation,
  ) {}

  onApplicationBootstrap(): void {
    const coupa = this.settings.coupa;
    if (!coupa) return;
    const schema = this.config.database.schema;
    const logger = this.logger.child({ component: 'write-back', platform: 'coupa', flow: 'supplier-holds' });
    const sink = new PlatformSink<SupplierHoldEvent>({
      platform: 'coupa',
      flow: 'supplier-holds',
      client: this.platforms.client(coupa),
      // Coupa allows about 25 calls per second per client; a hold is two calls.
      bucket: new TokenBucket({ platform: 'coupa', capacity: 20, refillPerSecond: 10 }),
      breaker: new CircuitBreaker({ platform: 'coupa', failureThreshold: 5, coolDownMs: 10_000 }),
      ledger: new DeliveryLedger(schema),
      journal: this.database.pgPool(),
      target: (change) => change.event.supplierId,
      naturalKey: (change) => change.event.supplierId,
      deliver: async (change, context) => {
        const supplier = await this.store.find(this.database.dataSource.manager, change.event.supplierId);
        if (!supplier) throw new Error(`supplier ${change.event.supplierId} is not in supplier-sync's master`);
        return deliverSupplierHold(change, supplier.supplierNumber, context);
      },
      observer: this.platforms.deliveryObserver,
    });
    const handle = async (change: SupplierHoldEvent, ctx: HandlerContext) => {
      if (!concernsProcurement(change)) return;
      await sink.handle(ctx.eventId, ctx.key, change, ctx.manager as EntityManager);
    };
    const consumer = new ReliableConsumer({
      kafka: this.kafka.kafka,
      groupId: `${this.config.serviceName}.write-back.procurement`,
      topics: [topicNameFor('SupplierBlocked', this.config.topicPrefix)],
      dataSource: this.database.dataSource,
      schema,
      codec: this.messaging.codec,
      handlers: {
        SupplierBlocked: (value, ctx) => handle({ kind: 'blocked', event: value as SupplierBlocked }, ctx),
        SupplierUnblocked: (value, ctx) => handle({ kind: 'unblocked', event: value as SupplierUnblocked }, ctx),
      },
      logger,
      retry: this.config.consumerRetry,
      fromBeginning: true,
      observer: this.messaging.metricsObserver,
    });
    this.messaging.registerConsumer(consumer);
    this.leadership = new SinkLeadership({
      platform: 'coupa',
      flow: 'supplier-holds',
      schema,
      connectionString: this.config.database.url,
      start: () => consumer.start(),
      stop: () => consumer.stop(),
      logger,
    });
    this.activation.activated
      .then(async () => {
        await ensureDeliveryTables(this.database.dataSource, schema);
        this.leadership?.start();
      })
      .catch((err: unknown) => logger.error({ err }, 'supplier-hold write-back could not start'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.leadership?.stop();
  }
}
