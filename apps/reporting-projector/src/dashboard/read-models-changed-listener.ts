import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { LOGGER, SERVICE_CONFIG, type ServiceConfig } from '@finmesh/service-kit';
import { READ_MODELS_CHANGED_CHANNEL } from '../projection/projection-observation-store';

export type ChangeListener = () => void;

const RECONNECT_DELAY_MS = 2_000;

/**
 * One PostgreSQL LISTEN per process, fanned out to every dashboard stream: the projector NOTIFYs
 * after each committed batch, so subscribers hear about changes without polling the database.
 * The connection is a dedicated pg Client (a LISTEN must keep its session; a pooled one would be
 * handed to other queries), opened on the first subscriber and re-opened after a failure.
 * Only notifications naming this projector's schema count: tests and rebuilds share the database.
 */
@Injectable()
export class ReadModelsChangedListener implements BeforeApplicationShutdown {
  private readonly listeners = new Set<ChangeListener>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Calls `listener` on every change of the read models until the returned function is called. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    void this.ensureListening();
    return () => this.listeners.delete(listener);
  }

  private ensureListening(): Promise<void> {
    if (this.closed || this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.database.url, application_name: `${this.config.serviceName}-dashboard-listener` });
    client.on('notification', (n) => {
      if (n.channel === READ_MODELS_CHANGED_CHANNEL && n.payload === this.config.database.schema) this.emit();
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${READ_MODELS_CHANGED_CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.logger.debug({ channel: READ_MODELS_CHANGED_CHANNEL }, 'listening for read-model changes');
    // Changes committed while no connection listened would otherwise go unseen.
    this.emit();
  }

  private lost(client: Client, err: unknown): void {
    if (this.client === client) this.client = undefined;
    client.removeAllListeners('notification');
    if (this.closed) return;
    if (err) this.logger.warn({ err }, 'read-model change listener lost its connection; reconnecting');
    client.end().catch(() => undefined);
    if (this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.listeners.size > 0) void this.ensureListening();
    }, RECONNECT_DELAY_MS);
  }

  private emit(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        this.logger.warn({ err }, 'read-model change subscriber failed');
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.listeners.clear();
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
