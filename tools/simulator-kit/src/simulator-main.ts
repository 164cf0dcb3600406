import type { Logger } from 'pino';

/** A non-negative integer setting of a simulator CLI; `fallback` when unset or empty. */
export function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** Stops a running simulator on SIGINT/SIGTERM, exiting 0 once it is closed (1 if closing failed). */
export function stopOnSignals(name: string, simulator: { close(): Promise<void> }, logger: Logger): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, `stopping ${name}`);
    simulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/** Runs a simulator CLI's main; a failure to start (a bad setting, a port in use) is printed and exits 1. */
export function runSimulatorMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
