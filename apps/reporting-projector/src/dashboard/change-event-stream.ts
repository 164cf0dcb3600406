/** Where a change stream writes its server-sent events (an HTTP response in production). */
export interface EventSink {
  write(chunk: string): unknown;
}

export interface ChangeEventStreamOptions {
  /** At most one `changed` event per this many ms; a change inside the window is sent at its end. */
  readonly minIntervalMs: number;
  /** A comment line this often keeps proxies and the browser from closing an idle stream. */
  readonly heartbeatMs: number;
  readonly now?: () => number;
}

/**
 * One subscriber's server-sent-event stream of read-model changes. The projector may commit many
 * batches a second while catching up; each would make the dashboard re-fetch every report, so
 * changes are throttled per subscriber: the first is sent at once, later ones coalesce into one
 * trailing event, so the last change is never lost.
 */
export class ChangeEventStream {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private trailing: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private sequence = 0;
  private closed = false;
  private readonly now: () => number;

  constructor(
    private readonly sink: EventSink,
    private readonly options: ChangeEventStreamOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sink.write(`retry: 5000\nevent: ready\ndata: {}\n\n`);
    this.heartbeat = setInterval(() => this.sink.write(`: heartbeat\n\n`), options.heartbeatMs);
  }

  /** The read models changed. */
  changed(): void {
    if (this.closed || this.trailing) return;
    const wait = this.lastSentAt + this.options.minIntervalMs - this.now();
    if (wait <= 0) {
      this.send();
      return;
    }
    this.trailing = setTimeout(() => {
      this.trailing = undefined;
      this.send();
    }, wait);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  private send(): void {
    if (this.closed) return;
    this.lastSentAt = this.now();
    this.sequence += 1;
    this.sink.write(`id: ${this.sequence}\nevent: changed\ndata: ${JSON.stringify({ at: new Date(this.lastSentAt).toISOString() })}\n\n`);
  }
}
