import { stopTestContainers } from './test-containers';

/** Stops containers started in container mode; the script-started stack is left running for reuse. */
export default async function globalTeardown(): Promise<void> {
  if (process.env['FINMESH_INFRA'] === 'containers') await stopTestContainers();
}
