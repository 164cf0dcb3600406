import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './service-supervisor';

/**
 * The HS256 secret a local stack's services verify API tokens with: generated once per checkout
 * into .finmesh/ (git-ignored), unless FINMESH_JWT_SECRET / _JWKS / _JWKS_URL is set.
 */
export function localJwtSecret(): string {
  const explicit = process.env['FINMESH_JWT_SECRET'];
  if (explicit) return explicit;
  const file = path.join(process.env['FINMESH_INFRA_HOME'] ?? path.join(REPO_ROOT, '.finmesh'), 'dev-jwt-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}
