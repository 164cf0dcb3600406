import { Kafka, logLevel, type Admin, type LogEntry } from 'kafkajs';
import { kafkaJsConnection, type KafkaClientSettings } from '@finmesh/contracts';
import type { Logger } from 'pino';
import type { DependencyCheck } from '../health/dependency-check';

/** Routes kafkajs' own logging into the service's structured logger. */
export function kafkajsLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry): void => {
      const { message, ...rest } = log;
      const entry = { component: 'kafkajs', ...rest };
      if (level === logLevel.ERROR) logger.error(entry, message);
      else if (level === logLevel.WARN) logger.warn(entry, message);
      else if (level === logLevel.INFO) logger.debug(entry, message);
      else logger.trace(entry, message);
    };
}

export type KafkaConnectionOptions = KafkaClientSettings & { readonly clientId: string };

/** One kafkajs client per service plus a lazily connected admin used for readiness and topic checks. */
export class KafkaConnection implements DependencyCheck {
  readonly dependency = 'kafka';
  readonly kafka: Kafka;
  private admin: Admin | undefined;
  private adminConnecting: Promise<Admin> | undefined;

  constructor(options: KafkaConnectionOptions, logger: Logger) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      ...kafkaJsConnection(options),
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(logger),
      retry: { retries: 3, initialRetryTime: 200 },
      connectionTimeout: 3000,
    });
  }

  async getAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    this.adminConnecting ??= (async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
      } catch (err) {
        this.adminConnecting = undefined;
        throw err;
      }
      this.admin = admin;
      return admin;
    })();
    return this.adminConnecting;
  }

  async check(): Promise<void> {
    const admin = await this.getAdmin();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('cluster reports no brokers');
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.adminConnecting = undefined;
    await admin?.disconnect();
  }
}
