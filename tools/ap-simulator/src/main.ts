import pino from 'pino';
import { intFromEnv, runSimulatorMain, stopOnSignals } from '@finmesh/simulator-kit';
import { clientsFromEnv, rateLimitFromEnv } from './env';
import { startApSimulator } from './server';

/**
 * CLI: `node -r @swc-node/register tools/ap-simulator/src/main.ts` (or `npx nx serve ap-simulator`).
 *
 *   AP_SIM_PORT (3920), AP_SIM_HOST (127.0.0.1), AP_SIM_LOG_LEVEL (info), AP_SIM_HANG_MS (30000),
 *   AP_SIM_TOKEN_TTL_SECONDS (86399), AP_SIM_RATE_LIMIT ("25/20" or "off"),
 *   AP_SIM_DISPUTE_REASONS (comma-separated codes; default INCORRECT-QUANTITY,INCORRECT-PRICE),
 *   clients: AP_SIM_CLIENTS (JSON array of { clientId, clientSecret, scopes }), or one client from
 *   AP_SIM_CLIENT_ID + AP_SIM_CLIENT_SECRET (or AP_SIM_CLIENT_SECRET_FILE) + AP_SIM_SCOPES
 *   (space-separated, default every scope); without any, finmesh / finmesh-ap-simulator-secret.
 * Secrets are never logged.
 */
async function main(): Promise<void> {
  const logger = pino({ name: 'ap-simulator', level: process.env['AP_SIM_LOG_LEVEL'] ?? 'info' });
  const rateLimit = rateLimitFromEnv(process.env['AP_SIM_RATE_LIMIT']);
  const reasons = process.env['AP_SIM_DISPUTE_REASONS'];
  const simulator = await startApSimulator({
    port: intFromEnv('AP_SIM_PORT', 3920),
    host: process.env['AP_SIM_HOST'] ?? '127.0.0.1',
    hangMs: intFromEnv('AP_SIM_HANG_MS', 30_000),
    tokenTtlSeconds: intFromEnv('AP_SIM_TOKEN_TTL_SECONDS', 86_399),
    clients: clientsFromEnv(process.env),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(reasons ? { disputeReasons: reasons.split(',').map((r) => r.trim()).filter(Boolean) } : {}),
    logger,
  });
  stopOnSignals('AP simulator', simulator, logger);
}

runSimulatorMain(main);
