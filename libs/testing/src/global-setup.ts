import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { provisionPlatform } from '@finmesh/contracts';
import { startTestContainers } from './test-containers';
import { testEnvironment } from './test-environment';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * Runs once before the integration tests: makes sure a real Kafka broker, schema registry and
 * PostgreSQL are up, then creates the catalog topics and registers the contracts.
 *
 * Default: the project's own script-started stack (idempotent; a running stack is reused).
 * FINMESH_INFRA=containers: the same three as testcontainers, for machines with a Docker engine.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['FINMESH_INFRA'] === 'containers') {
    await startTestContainers();
  } else {
    const up = spawnSync(process.execPath, [path.join(REPO_ROOT, 'infra/finmesh-infra.mjs'), 'up'], {
      stdio: 'inherit',
      cwd: REPO_ROOT,
    });
    if (up.status !== 0) {
      throw new Error('the local infrastructure did not come up (see the output above); integration tests need it');
    }
  }
  const env = testEnvironment();
  await provisionPlatform({ kafka: env.kafka, registryUrl: env.registryUrl, replicationFactor: 1 });
}
