import { createInterface } from 'node:readline';
import { UsageError } from '../cli-errors';

export interface PromptInput extends NodeJS.ReadableStream {
  readonly isTTY?: boolean;
}

export interface ConfirmOptions {
  readonly question: string;
  readonly input: PromptInput;
  /** Where the question goes: stderr, so stdout stays clean for --json and pipes. */
  readonly output: NodeJS.WritableStream;
  /** How long to wait for an answer on a pipe before treating the run as non-interactive. */
  readonly pipeTimeoutMs?: number;
  /** What to say when nobody can answer, e.g. "pass --yes to purge without a prompt". */
  readonly nonInteractiveHint: string;
}

/**
 * Asks a yes/no question; only "y" or "yes" confirm. On a terminal it waits for the operator.
 * On a pipe it reads one line (so `echo y | finmesh dlt purge` works in scripts), but a pipe
 * that ends or stays silent means nobody is there to answer: that is refused as bad usage
 * (exit 2) with the hint, instead of hanging or guessing.
 */
export async function confirm(options: ConfirmOptions): Promise<boolean> {
  const { input, output } = options;
  output.write(`${options.question} [y/N] `);
  const answer = await readLine(input, input.isTTY ? null : (options.pipeTimeoutMs ?? 10_000));
  if (!input.isTTY) output.write('\n');
  if (answer === null) {
    throw new UsageError(`no confirmation: standard input is not a terminal and gave no answer; ${options.nonInteractiveHint}`);
  }
  return /^(y|yes)$/i.test(answer.trim());
}

function readLine(input: NodeJS.ReadableStream, timeoutMs: number | null): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let settled = false;
    const settle = (value: string | null) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      rl.close();
      // The prompt is the last read: let the process exit even if stdin stays open.
      (input as NodeJS.ReadableStream & { pause?: () => void; unref?: () => void }).pause?.();
      (input as { unref?: () => void }).unref?.();
      resolve(value);
    };
    const timer = timeoutMs === null ? null : setTimeout(() => settle(null), timeoutMs);
    rl.once('line', (line) => settle(line));
    rl.once('close', () => settle(null));
  });
}
