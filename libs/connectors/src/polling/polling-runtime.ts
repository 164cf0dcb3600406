import type { Logger } from 'pino';
import type { ConnectorObserver } from '../observability/connector-observer';
import type { PollCycle } from './poll-cycle';
import { Poller, type PollerStatus } from './poller';

export interface PollDefinition {
  readonly platform: string;
  readonly resource: string;
  readonly cycle: PollCycle;
  readonly intervalMs: number;
}

export interface PollingRuntimeOptions {
  readonly schema: string;
  readonly connectionString: string;
  readonly logger: Logger;
  readonly observer?: ConnectorObserver;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

/**
 * A service's pollers, started and stopped together. Each is independent: one whose platform
 * refuses its credentials stops alone, and `status()` shows which (for health and ops).
 */
export class PollingRuntime {
  private readonly pollers = new Map<string, Poller>();

  constructor(private readonly options: PollingRuntimeOptions) {}

  add(definition: PollDefinition): Poller {
    const name = `${definition.platform}:${definition.resource}`;
    if (this.pollers.has(name)) throw new Error(`a poller for ${name} is already registered`);
    const poller = new Poller({
      ...definition,
      schema: this.options.schema,
      connectionString: this.options.connectionString,
      logger: this.options.logger,
      ...(this.options.observer ? { observer: this.options.observer } : {}),
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
    });
    this.pollers.set(name, poller);
    return poller;
  }

  start(): void {
    for (const poller of this.pollers.values()) poller.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pollers.values()].map((p) => p.stop()));
  }

  /** Wakes every poller for an immediate cycle (tests, a platform's change notification). */
  pollNow(): void {
    for (const poller of this.pollers.values()) poller.pollNow();
  }

  status(): PollerStatus[] {
    return [...this.pollers.values()].map((p) => p.status());
  }
}
