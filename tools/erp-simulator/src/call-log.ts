/** One call the simulator answered (Fusion REST and the token endpoint; not the admin API). */
export interface RecordedCall {
  readonly time: string;
  readonly method: string;
  readonly path: string;
  /** The query string without the leading '?', percent-decoded ('' when none). */
  readonly query: string;
  /** HTTP status answered; 0 when the connection was dropped without an answer (timeout fault). */
  readonly status: number;
  /** 'user:<name>', 'client:<id>', 'anonymous', or null when authentication failed or did not apply. */
  readonly principal: string | null;
  readonly durationMs: number;
}

/** Bounded ring of the most recent calls (oldest dropped first). */
export class CallLog {
  private readonly calls: RecordedCall[] = [];

  constructor(private readonly capacity: number) {}

  record(call: RecordedCall): void {
    this.calls.push(call);
    if (this.calls.length > this.capacity) this.calls.splice(0, this.calls.length - this.capacity);
  }

  all(): readonly RecordedCall[] {
    return [...this.calls];
  }

  clear(): void {
    this.calls.length = 0;
  }
}
