import { readFileSync } from 'node:fs';
import pino from 'pino';
import { intFromEnv, runSimulatorMain, stopOnSignals } from '@finmesh/simulator-kit';
import type { OAuthClient } from './oauth';
import { COUPA_SCOPES, DEFAULT_CLIENTS, startProcurementSimulator } from './server';

/**
 * CLI: `node -r @swc-node/register tools/procurement-simulator/src/main.ts` (or `npx nx serve procurement-simulator`).
 *
 *   PROC_SIM_PORT (3910), PROC_SIM_HOST (127.0.0.1), PROC_SIM_LOG_LEVEL (info),
 *   PROC_SIM_HANG_MS (30000), PROC_SIM_TOKEN_TTL_SECONDS (86399),
 *   PROC_SIM_RATE_LIMIT ("25/20" = requests per second / burst, "off" to disable),
 *   PROC_SIM_VOID_MODE (void-transactions | status),
 *   PROC_SIM_RESET_PO_EXPORTED_ON_EVERY_CHANGE (false),
 *   clients: PROC_SIM_CLIENTS (JSON array of { clientId, clientSecret, scopes }), or one client from
 *   PROC_SIM_CLIENT_ID + PROC_SIM_CLIENT_SECRET (or PROC_SIM_CLIENT_SECRET_FILE) + PROC_SIM_SCOPES
 *   (space-separated, default every scope); without any, the default client (finmesh).
 * Secrets are never logged.
 */
function clientsFromEnv(env: NodeJS.ProcessEnv): readonly OAuthClient[] {
  if (env['PROC_SIM_CLIENTS']) {
    const parsed = JSON.parse(env['PROC_SIM_CLIENTS']) as unknown;
    if (!Array.isArray(parsed) || !parsed.every((c) => typeof c?.clientId === 'string' && typeof c?.clientSecret === 'string' && Array.isArray(c?.scopes))) {
      throw new Error('PROC_SIM_CLIENTS must be a JSON array of { clientId, clientSecret, scopes: [...] }');
    }
    return parsed as OAuthClient[];
  }
  const clientId = env['PROC_SIM_CLIENT_ID'];
  if (!clientId) return DEFAULT_CLIENTS;
  const secretFile = env['PROC_SIM_CLIENT_SECRET_FILE'];
  const clientSecret = secretFile ? readFileSync(secretFile, 'utf8').trim() : env['PROC_SIM_CLIENT_SECRET'];
  if (!clientSecret) throw new Error('PROC_SIM_CLIENT_ID needs PROC_SIM_CLIENT_SECRET or PROC_SIM_CLIENT_SECRET_FILE');
  const scopes = env['PROC_SIM_SCOPES'] ? env['PROC_SIM_SCOPES'].split(/\s+/).filter(Boolean) : [...COUPA_SCOPES];
  return [{ clientId, clientSecret, scopes }];
}


function rateLimitFromEnv(raw: string | undefined) {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'off') return false as const;
  const m = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(raw);
  if (!m) throw new Error(`PROC_SIM_RATE_LIMIT must be "<requests per second>/<burst>" or "off", got "${raw}"`);
  return { requestsPerSecond: Number(m[1]), burst: Number(m[2]) };
}

async function main(): Promise<void> {
  const logger = pino({ name: 'procurement-simulator', level: process.env['PROC_SIM_LOG_LEVEL'] ?? 'info' });
  const voidMode = process.env['PROC_SIM_VOID_MODE'];
  if (voidMode !== undefined && voidMode !== 'void-transactions' && voidMode !== 'status') throw new Error(`PROC_SIM_VOID_MODE must be void-transactions or status, got "${voidMode}"`);
  const rateLimit = rateLimitFromEnv(process.env['PROC_SIM_RATE_LIMIT']);
  const simulator = await startProcurementSimulator({
    port: intFromEnv('PROC_SIM_PORT', 3910),
    host: process.env['PROC_SIM_HOST'] ?? '127.0.0.1',
    hangMs: intFromEnv('PROC_SIM_HANG_MS', 30_000),
    tokenTtlSeconds: intFromEnv('PROC_SIM_TOKEN_TTL_SECONDS', 86_399),
    clients: clientsFromEnv(process.env),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(voidMode ? { voidMode } : {}),
    resetPoExportedOnEveryChange: process.env['PROC_SIM_RESET_PO_EXPORTED_ON_EVERY_CHANGE'] === 'true',
    logger,
  });
  stopOnSignals('procurement simulator', simulator, logger);
}

runSimulatorMain(main);
