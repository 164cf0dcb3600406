/** What a long operation reports: events done of total, and how fast. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  /** Events per second; null when not known yet (the first poll). */
  readonly ratePerSec: number | null;
}

/** "1h 02m", "3m 05s", "42s", "0.4s": short, fixed units, readable at a glance. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Remaining time at the current rate; null when the rate is unknown or zero (no honest guess). */
export function etaMs(p: Progress): number | null {
  const remaining = Math.max(0, p.total - p.done);
  if (remaining === 0) return 0;
  if (p.ratePerSec === null || p.ratePerSec <= 0) return null;
  return (remaining / p.ratePerSec) * 1000;
}

function formatRate(rate: number | null): string {
  if (rate === null) return '? ev/s';
  return rate >= 100 ? `${Math.round(rate)} ev/s` : `${rate.toFixed(1)} ev/s`;
}

/**
 * One line of progress: `[#########...........]  45% 4500/10000 · 812 ev/s · ETA 6.8s`.
 * A total of 0 shows as complete (nothing to do is done). Done is clamped into [0, total].
 */
export function formatProgressLine(p: Progress, width = 30): string {
  const total = Math.max(0, p.total);
  const done = Math.min(Math.max(0, p.done), total);
  const ratio = total === 0 ? 1 : done / total;
  const filled = Math.round(ratio * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
  const eta = etaMs({ done, total, ratePerSec: p.ratePerSec });
  return `${bar} ${pct} ${done}/${total} · ${formatRate(p.ratePerSec)} · ETA ${eta === null ? '?' : formatDuration(eta)}`;
}

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * Draws progress on a terminal, redrawing one line in place. On anything that is not a TTY
 * (a pipe, a CI log, --json) it draws nothing: carriage returns would garble the captured output.
 */
export class ProgressBar {
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(p: Progress): void {
    if (!this.enabled) return;
    this.stream.write(`\r\x1b[2K${this.label} ${formatProgressLine(p)}`);
    this.drawn = true;
  }

  /** Ends the progress line so the summary starts on a fresh line. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}

/** Rate from two observations of "done", in events per second; null until there are two. */
export class RateMeter {
  private first: { at: number; done: number } | null = null;

  observe(done: number, at: number = Date.now()): number | null {
    if (!this.first) {
      this.first = { at, done };
      return null;
    }
    const seconds = (at - this.first.at) / 1000;
    return seconds > 0 ? (done - this.first.done) / seconds : null;
  }
}
