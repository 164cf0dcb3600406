import type { CliContext } from '../cli-context';
import { ProgressBar, RateMeter, type Progress } from '../output/progress-bar';

/**
 * Polls `sample` until it says done, drawing a progress bar on a terminal (never in --json mode
 * or on a pipe). Returns the last sample.
 */
export async function followProgress<S>(
  ctx: CliContext,
  options: {
    readonly label: string;
    readonly pollMs: number;
    readonly timeoutMs: number | null;
    readonly sample: () => Promise<S>;
    readonly progressOf: (s: S, rate: number | null) => Progress;
    readonly isDone: (s: S) => boolean;
  },
): Promise<{ last: S; timedOut: boolean }> {
  const bar = new ProgressBar(ctx.json ? { write: () => undefined, isTTY: false } : ctx.io.stdout, options.label);
  const rate = new RateMeter();
  const deadline = options.timeoutMs === null ? null : Date.now() + options.timeoutMs;
  let last = await options.sample();
  try {
    for (;;) {
      const guess = options.progressOf(last, null);
      bar.update(options.progressOf(last, rate.observe(guess.done)));
      if (options.isDone(last)) return { last, timedOut: false };
      if (deadline !== null && Date.now() >= deadline) return { last, timedOut: true };
      await new Promise((r) => setTimeout(r, options.pollMs));
      last = await options.sample();
    }
  } finally {
    bar.finish();
  }
}
