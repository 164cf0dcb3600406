import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ServiceEntry } from './service-catalog';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
const HOME = process.env['FINMESH_INFRA_HOME'] ?? path.join(REPO_ROOT, '.finmesh');
const RUN_DIR = path.join(HOME, 'run');
const LOG_DIR = path.join(HOME, 'logs');

export interface ServiceHealth {
  readonly name: string;
  readonly url: string;
  readonly live: boolean;
  readonly ready: boolean;
  readonly report: unknown;
}

function pidFile(name: string): string {
  return path.join(RUN_DIR, `${name}.pid`);
}

export function logFile(name: string): string {
  return path.join(LOG_DIR, `${name}.log`);
}

export function serviceUrl(service: ServiceEntry): string {
  return `http://127.0.0.1:${service.port}`;
}

async function getJson(url: string): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: await res.json() };
  } catch {
    return undefined;
  }
}

export async function health(service: ServiceEntry): Promise<ServiceHealth> {
  const url = serviceUrl(service);
  const live = await getJson(`${url}${service.livePath}`);
  const ready = live ? await getJson(`${url}${service.readyPath}`) : undefined;
  return { name: service.name, url, live: live?.status === 200, ready: ready?.status === 200, report: ready?.body };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a service detached (it outlives `npm start`), logging to .finmesh/logs/<name>.log. */
export async function startService(service: ServiceEntry, env: NodeJS.ProcessEnv): Promise<'started' | 'running'> {
  const current = await health(service);
  if (current.live) return 'running';
  fs.mkdirSync(RUN_DIR, { recursive: true });
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const out = fs.openSync(logFile(service.name), 'a');
  const child = spawn(process.execPath, ['-r', '@swc-node/register', service.entry], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...env, [service.portVariable]: String(service.port) },
  });
  child.unref();
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`${service.name} could not be spawned`);
  fs.writeFileSync(pidFile(service.name), String(child.pid));
  return 'started';
}

export async function waitUntilLive(service: ServiceEntry, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await health(service)).live) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} did not answer ${serviceUrl(service)}${service.livePath} within ${timeoutMs} ms; see ${logFile(service.name)}`);
}

export async function stopService(service: ServiceEntry): Promise<'stopped' | 'not-running'> {
  const file = pidFile(service.name);
  if (!fs.existsSync(file)) return 'not-running';
  const pid = Number(fs.readFileSync(file, 'utf8'));
  fs.rmSync(file);
  if (!Number.isInteger(pid) || !alive(pid)) return 'not-running';
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 250));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  return 'stopped';
}
