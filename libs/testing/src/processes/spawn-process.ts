import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Starts one of the test processes in this folder with the given environment. */
export function spawnTestProcess(script: 'relay-process' | 'consumer-process' | 'poller-process', env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, `${script}.ts`)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Resolves with the signal or exit code once the process has ended. */
export function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

/** Resolves when the process prints `line` on stdout. */
export function printed(child: ChildProcess, line: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process did not print '${line}' within ${timeoutMs} ms`)), timeoutMs);
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
