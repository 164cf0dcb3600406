import { readFileSync } from 'node:fs';
import pino from 'pino';
import { intFromEnv, runSimulatorMain, stopOnSignals } from '@finmesh/simulator-kit';
import { parseCredentialList, type SimulatorClient, type SimulatorUser } from './auth/credentials';
import { startErpSimulator } from './server';

/**
 * CLI: `node -r @swc-node/register tools/erp-simulator/src/main.ts`. Environment:
 *  ERP_SIM_PORT (3900), ERP_SIM_HOST (127.0.0.1), ERP_SIM_HANG_MS (30000), ERP_SIM_LOG_LEVEL (info);
 *  ERP_SIM_USERS / ERP_SIM_USERS_FILE: HTTP Basic users, `name:password[:resource|resource]` separated
 *    by commas (or one a line in the file); default finmesh:finmesh-dev;
 *  ERP_SIM_CLIENTS / ERP_SIM_CLIENTS_FILE: OAuth clients, `clientId:secret[:resource|…]`; default
 *    finmesh:finmesh-dev;
 *  ERP_SIM_ALLOW_ANONYMOUS (false): serve Fusion routes without credentials;
 *  ERP_SIM_TOKEN_TTL_SECONDS (3600); ERP_SIM_PURCHASE_ORDER_CHECK (enforce | off);
 *  ERP_SIM_VALIDATION_DELAY_MS (0; 'manual' = only through validateInvoice).
 * Secrets are never logged.
 */
async function main(): Promise<void> {
  const logger = pino({ name: 'erp-simulator', level: process.env['ERP_SIM_LOG_LEVEL'] ?? 'info' });
  const users = credentials('ERP_SIM_USERS')?.map((c): SimulatorUser => ({ username: c.name, password: c.secret, ...(c.resources ? { resources: c.resources } : {}) }));
  const clients = credentials('ERP_SIM_CLIENTS')?.map((c): SimulatorClient => ({ clientId: c.name, clientSecret: c.secret, ...(c.resources ? { resources: c.resources } : {}) }));
  const check = process.env['ERP_SIM_PURCHASE_ORDER_CHECK'] ?? 'enforce';
  if (check !== 'enforce' && check !== 'off') throw new Error(`ERP_SIM_PURCHASE_ORDER_CHECK must be enforce or off, got "${check}"`);
  const delay = process.env['ERP_SIM_VALIDATION_DELAY_MS'];
  const simulator = await startErpSimulator({
    port: intFromEnv('ERP_SIM_PORT', 3900),
    host: process.env['ERP_SIM_HOST'] ?? '127.0.0.1',
    hangMs: intFromEnv('ERP_SIM_HANG_MS', 30_000),
    auth: { ...(users ? { users } : {}), ...(clients ? { clients } : {}), allowAnonymous: boolFromEnv('ERP_SIM_ALLOW_ANONYMOUS') },
    tokenTtlSeconds: intFromEnv('ERP_SIM_TOKEN_TTL_SECONDS', 3600),
    purchaseOrderCheck: check,
    validationDelayMs: delay === 'manual' ? null : intFromEnv('ERP_SIM_VALIDATION_DELAY_MS', 0),
    logger,
  });
  logger.info(
    { users: (users ?? [{ username: 'finmesh' }]).map((u) => u.username), clients: (clients ?? [{ clientId: 'finmesh' }]).map((c) => c.clientId), tokenUrl: simulator.tokenUrl },
    'credentials configured (secrets not shown)',
  );
  stopOnSignals('ERP simulator', simulator, logger);
}

/** ERP_SIM_USERS / ERP_SIM_USERS_FILE (the file wins when both are set); undefined = the dev default. */
function credentials(name: string): ReturnType<typeof parseCredentialList> | undefined {
  const file = process.env[`${name}_FILE`];
  const text = file ? readFileSync(file, 'utf8') : process.env[name];
  if (text === undefined || text.trim() === '') return undefined;
  return parseCredentialList(text, file ? `${name}_FILE` : name);
}

function boolFromEnv(name: string): boolean {
  const raw = (process.env[name] ?? '').toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new Error(`${name} must be true or false, got "${process.env[name]}"`);
}

runSimulatorMain(main);
