/** Settings of the AP simulator CLI from the environment (see main.ts). */
import { readFileSync } from 'node:fs';
import type { coupaKit } from '@finmesh/procurement-simulator';
import { AP_SCOPES, DEFAULT_AP_CLIENTS } from './server';

export function clientsFromEnv(env: NodeJS.ProcessEnv): readonly coupaKit.OAuthClient[] {
  if (env['AP_SIM_CLIENTS']) {
    const parsed = JSON.parse(env['AP_SIM_CLIENTS']) as unknown;
    if (!Array.isArray(parsed) || !parsed.every((c) => typeof c?.clientId === 'string' && typeof c?.clientSecret === 'string' && Array.isArray(c?.scopes))) {
      throw new Error('AP_SIM_CLIENTS must be a JSON array of { clientId, clientSecret, scopes: [...] }');
    }
    return parsed as coupaKit.OAuthClient[];
  }
  const clientId = env['AP_SIM_CLIENT_ID'];
  if (!clientId) return DEFAULT_AP_CLIENTS;
  const secretFile = env['AP_SIM_CLIENT_SECRET_FILE'];
  const clientSecret = secretFile ? readFileSync(secretFile, 'utf8').trim() : env['AP_SIM_CLIENT_SECRET'];
  if (!clientSecret) throw new Error('AP_SIM_CLIENT_ID needs AP_SIM_CLIENT_SECRET or AP_SIM_CLIENT_SECRET_FILE');
  const scopes = env['AP_SIM_SCOPES'] ? env['AP_SIM_SCOPES'].split(/\s+/).filter(Boolean) : [...AP_SCOPES];
  return [{ clientId, clientSecret, scopes }];
}

export function rateLimitFromEnv(raw: string | undefined): coupaKit.RateLimit | false | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'off') return false;
  const m = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(raw);
  if (!m) throw new Error(`AP_SIM_RATE_LIMIT must be "<requests per second>/<burst>" or "off", got "${raw}"`);
  return { requestsPerSecond: Number(m[1]), burst: Number(m[2]) };
}
