import { SessionLeadership } from '@finmesh/persistence';
import type { Logger } from 'pino';
import { PlatformAuthError, PlatformRateLimitedError } from '../http/platform-errors';
import type { ConnectorObserver, PollerState } from '../observability/connector-observer';
import type { CycleStats, PollCycle } from './poll-cycle';

export interface PollerOptions {
  readonly platform: string;
  readonly resource: string;
  /** The owning service's schema: the leader lock's namespace. */
  readonly schema: string;
  /** Connection string for the leadership session. */
  readonly connectionString: string;
  readonly cycle: PollCycle;
  /** Pause between cycles that found nothing more to read. */
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly observer?: ConnectorObserver;
  /** Backoff while the platform (or the database) is down: doubles from initial to max, with jitter. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** How often a standby instance tries to take over (default 2000 ms). */
  readonly leadershipRetryMs?: number;
}

export interface PollerStatus {
  readonly platform: string;
  readonly resource: string;
  readonly state: PollerState;
  readonly cycles: number;
  readonly lastCycle?: CycleStats & { readonly finishedAt: string };
  /** Why the poller stopped or backs off (an error message without secrets). */
  readonly lastError?: string;
}

/**
 * Runs one poll cycle after another for one platform resource, on one instance at a time.
 *
 * - Leadership: a session advisory lock per (schema, platform, resource), as the outbox relay
 *   has; a standby retries, and takes over when the leader's session ends.
 * - A platform that is down or throttling (5xx, timeouts, 429) or a database hiccup: exponential
 *   backoff with jitter, honouring Retry-After; the watermark/ledger make the retry re-read only.
 * - Credentials refused (401/403): the poller stops with a clear error and the state metric
 *   `stopped_auth`. Retrying would not help and may lock the integration user; the service and
 *   its other pollers carry on, and a restart after the credentials are fixed resumes it.
 */
export class Poller {
  private readonly leadership: SessionLeadership;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private state: PollerState = 'standby';
  private cycles = 0;
  private lastCycle: PollerStatus['lastCycle'];
  private lastError: string | undefined;

  constructor(private readonly options: PollerOptions) {
    this.leadership = new SessionLeadership({
      connectionString: options.connectionString,
      namespace: options.schema,
      name: `poller:${options.platform}:${options.resource}`,
      applicationName: `finmesh-poller-${options.platform}-${options.resource}`.slice(0, 63),
      onLost: (err) => options.logger.warn({ err, resource: options.resource }, 'poller lost its leadership session'),
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => {
      this.options.logger.error({ err, platform: this.options.platform, resource: this.options.resource }, 'poller stopped on an unexpected error');
      this.setState('stopped');
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.leadership.release();
    if (this.state !== 'stopped_auth') this.setState('stopped');
  }

  /** Wakes a sleeping poller for an immediate cycle (a platform's change notification, tests). */
  pollNow(): void {
    this.wake?.();
  }

  status(): PollerStatus {
    const { platform, resource } = this.options;
    return {
      platform,
      resource,
      state: this.state,
      cycles: this.cycles,
      ...(this.lastCycle ? { lastCycle: this.lastCycle } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private async run(): Promise<void> {
    const { logger, platform, resource } = this.options;
    const backoff = this.options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
    let failures = 0;
    this.setState('standby');
    while (this.running) {
      try {
        if (!(await this.leadership.tryAcquire())) {
          this.setState('standby');
          await this.sleep(this.options.leadershipRetryMs ?? 2000);
          continue;
        }
        this.setState('polling');
        const started = Date.now();
        const stats = await this.options.cycle.run();
        this.cycles += 1;
        this.lastCycle = { ...stats, finishedAt: new Date().toISOString() };
        this.lastError = undefined;
        failures = 0;
        this.options.observer?.pollFinished?.({ platform, resource, ...stats, processed: stats.applied, seconds: (Date.now() - started) / 1000 });
        if (stats.applied > 0 || stats.rejected > 0) logger.info({ platform, resource, ...stats }, 'poll cycle applied records');
        await this.sleep(this.options.intervalMs);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.lastError = message;
        if (err instanceof PlatformAuthError) {
          logger.error({ platform, resource, status: err.status, err: message }, 'poller stopped: the platform refused its credentials; fix them and restart the service');
          this.running = false;
          this.setState('stopped_auth');
          await this.leadership.release();
          return;
        }
        failures += 1;
        const exponential = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures - 1, 20));
        const jittered = exponential / 2 + Math.random() * (exponential / 2);
        const wait = err instanceof PlatformRateLimitedError && err.retryAfterMs !== undefined ? Math.max(err.retryAfterMs, jittered) : jittered;
        logger.warn({ platform, resource, failures, retryInMs: Math.round(wait), err: message }, 'poll cycle failed; backing off');
        this.setState('backing_off');
        await this.sleep(wait);
      }
    }
  }

  private setState(state: PollerState): void {
    this.state = state;
    this.options.observer?.pollerState?.(this.options.platform, this.options.resource, state);
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
