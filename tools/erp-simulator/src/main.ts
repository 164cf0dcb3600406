import pino from 'pino';
import { startErpSimulator } from './server';

/**
 * CLI: `node -r @swc-node/register tools/erp-simulator/src/main.ts`.
 * ERP_SIM_PORT (default 3900), ERP_SIM_HOST (default 127.0.0.1), ERP_SIM_HANG_MS (default 30000),
 * ERP_SIM_LOG_LEVEL (default info).
 */
async function main(): Promise<void> {
  const logger = pino({ name: 'erp-simulator', level: process.env['ERP_SIM_LOG_LEVEL'] ?? 'info' });
  const port = intFromEnv('ERP_SIM_PORT', 3900);
  const hangMs = intFromEnv('ERP_SIM_HANG_MS', 30_000);
  const simulator = await startErpSimulator({ port, host: process.env['ERP_SIM_HOST'] ?? '127.0.0.1', hangMs, logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'stopping ERP simulator');
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

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
