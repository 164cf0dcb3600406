import { SessionLeadership } from '@finmesh/persistence';
import type { Logger } from 'pino';

export interface SinkLeadershipOptions {
  readonly platform: string;
  readonly flow: string;
  /** The owning service's schema: the leader lock's namespace. */
  readonly schema: string;
  /** Connection string for the leadership session. */
  readonly connectionString: string;
  /** Starts consuming for the sink (its ReliableConsumer's start). */
  readonly start: () => Promise<void>;
  /** Stops consuming; must let the running batch finish (ReliableConsumer.stop does). */
  readonly stop: () => Promise<void>;
  readonly logger: Logger;
  /** How often a standby instance tries to take over (default 2000 ms). */
  readonly retryMs?: number;
}

export type SinkRole = 'standby' | 'active' | 'stopped';

/**
 * One active sink per (schema, platform, flow) across instances: a session advisory lock, as
 * the pollers and the outbox relay hold. Only the holder runs the sink's consumer, so the
 * platform's rate limit and breaker (kept in memory) see all of that flow's calls, and the
 * platform sees one caller per flow. A standby retries every `retryMs`; when the leader's
 * session ends (crash, lost connection), it takes over, and the leader that lost its session
 * stops consuming. The overlap while the old leader finishes its batch is covered by the
 * per-delivery lock and the ledger, not by this class.
 */
export class SinkLeadership {
  private readonly leadership: SessionLeadership;
  private current: SinkRole = 'standby';
  private running = false;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /** Serialises start/stop of the consumer: a loss reported mid-start waits for the start. */
  private transitions: Promise<void> = Promise.resolve();

  constructor(private readonly options: SinkLeadershipOptions) {
    this.leadership = new SessionLeadership({
      connectionString: options.connectionString,
      namespace: options.schema,
      name: `sink:${options.platform}:${options.flow}`,
      applicationName: `finmesh-sink-${options.platform}-${options.flow}`.slice(0, 63),
      onLost: (err) => {
        options.logger.warn({ err, platform: options.platform, flow: options.flow }, 'sink lost its leadership session; stopping its consumer');
        void this.serialise(() => this.deactivate('standby'));
        this.wake?.();
      },
    });
  }

  get role(): SinkRole {
    return this.current;
  }

  /** Starts trying to lead; resolves at once (the first attempt runs in the background). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops the consumer if active and gives the lock up. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.serialise(() => this.deactivate('stopped'));
    this.current = 'stopped';
  }

  private async run(): Promise<void> {
    const { logger, platform, flow } = this.options;
    while (this.running) {
      try {
        if (this.current !== 'active' && (await this.leadership.tryAcquire())) {
          await this.serialise(async () => {
            if (!this.running || !this.leadership.isLeader) return;
            await this.options.start();
            this.current = 'active';
            logger.info({ platform, flow }, 'sink active on this instance');
          });
        }
      } catch (err) {
        logger.warn({ err, platform, flow }, 'sink leadership attempt failed; will retry');
        // Already logged by serialise; the loop must survive a consumer that fails to stop.
        await this.serialise(() => this.deactivate('standby')).catch(() => undefined);
      }
      await this.sleep(this.options.retryMs ?? 2000);
    }
  }

  private async deactivate(to: SinkRole): Promise<void> {
    if (this.current === 'active') await this.options.stop();
    await this.leadership.release();
    this.current = to;
  }

  private serialise(work: () => Promise<void>): Promise<void> {
    const next = this.transitions.then(work);
    this.transitions = next.catch((err: unknown) => this.options.logger.error({ err }, 'sink start/stop failed'));
    return next;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        clearTimeout(this.timer);
        resolve();
      };
      this.timer = setTimeout(resolve, ms);
    });
  }
}
