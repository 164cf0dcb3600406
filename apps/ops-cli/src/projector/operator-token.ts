import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../cli-errors';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * The bearer token for the projector's admin API: the explicit one (--token / FINMESH_TOKEN), or,
 * on a local stack, an operator token minted from the dev secret the services were started with
 * (FINMESH_JWT_SECRET or .finmesh/dev-jwt-secret). Never creates a secret: a stack that has none
 * would not accept the token anyway.
 */
export async function operatorToken(explicit: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  if (explicit) return explicit;
  const file = path.join(env['FINMESH_INFRA_HOME'] ?? path.join(REPO_ROOT, '.finmesh'), 'dev-jwt-secret');
  const secret = env['FINMESH_JWT_SECRET'] ?? (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined);
  if (!secret) throw new UsageError(`no API token: pass --token or set FINMESH_TOKEN (a token with role ops); on a local stack the dev secret ${file} is used when present`);
  // Loaded only here: service-kit brings NestJS, which the other commands do not need.
  const { mintDevToken } = await import('@finmesh/service-kit');
  return mintDevToken({ clientId: 'finmesh-ops-cli', roles: ['ops'], secret, expiresIn: '1h' });
}
