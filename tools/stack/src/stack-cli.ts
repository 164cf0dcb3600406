import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { provisionPlatform, provisioningKafkaSettings } from '@finmesh/contracts';
import { localJwtSecret } from './dev-secret';
import { ERP_SIMULATOR, LOCAL_PLATFORM_CREDENTIALS, SERVICES } from './service-catalog';
import { health, logFile, REPO_ROOT, startService, stopService, waitUntilLive } from './service-supervisor';

/**
 * `npm start` / `npm stop` / `npm run stack:status`: the whole local finmesh — infrastructure,
 * topics and contracts, the five services — with a readiness summary at the end.
 */
const env = {
  registryUrl: process.env['FINMESH_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
};

function infra(command: 'up' | 'down'): void {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'infra/finmesh-infra.mjs'), command], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`infra ${command} failed (see above)`);
}

async function printStatus(): Promise<boolean> {
  let allReady = true;
  console.log('\nservice               url                     live   ready  dependencies');
  for (const s of SERVICES) {
    const h = await health(s);
    allReady &&= h.ready;
    const deps = (h.report as { dependencies?: Record<string, { status: string }> } | undefined)?.dependencies ?? {};
    const depText = Object.entries(deps).map(([k, v]) => `${k}=${v.status}`).join(' ') || '-';
    console.log(`${s.name.padEnd(22)}${h.url.padEnd(24)}${String(h.live).padEnd(7)}${String(h.ready).padEnd(7)}${depText}`);
  }
  return allReady;
}

async function up(): Promise<void> {
  infra('up');
  console.log('==> topics and contracts');
  const result = await provisionPlatform({ ...env, kafka: provisioningKafkaSettings(), replicationFactor: 1 });
  for (const t of result.topics) console.log(`    topic ${t.topic} (${t.partitions} partitions): ${t.action}`);
  console.log(`    ${result.acls} Kafka ACL bindings (one principal per service and platform)`);
  console.log(`    ${result.subjects.length} schema subjects registered with their compatibility rules`);
  console.log('==> services');
  const jwtConfigured = ['FINMESH_JWT_SECRET', 'FINMESH_JWT_JWKS', 'FINMESH_JWT_JWKS_URL'].some((k) => process.env[k]);
  const erpConfigured = ['FINMESH_ERP_AUTH', 'FINMESH_ERP_USERNAME', 'FINMESH_ERP_CLIENT_ID'].some((k) => process.env[k]);
  const serviceEnv = {
    ...(erpConfigured ? {} : LOCAL_PLATFORM_CREDENTIALS),
    ...process.env,
    ...(jwtConfigured ? {} : { FINMESH_JWT_SECRET: localJwtSecret() }),
    FINMESH_ERP_BASE_URL: process.env['FINMESH_ERP_BASE_URL'] ?? `http://127.0.0.1:${ERP_SIMULATOR.port}`,
  };
  for (const s of SERVICES) console.log(`    ${s.name}: ${await startService(s, serviceEnv)}`);
  await Promise.all(SERVICES.map((s) => waitUntilLive(s, 60_000)));
  // Readiness can lag liveness by a connection attempt; give it a moment before reporting.
  const deadline = Date.now() + 30_000;
  let ready = false;
  while (!ready && Date.now() < deadline) {
    ready = (await Promise.all(SERVICES.map(health))).every((h) => h.ready);
    if (!ready) await new Promise((r) => setTimeout(r, 500));
  }
  await printStatus();
  console.log(`\nLogs: ${path.dirname(logFile('x'))}/<service>.log   Stop: npm stop   Status: npm run stack:status   API token: npm run token -- <client> <roles>`);
  if (!ready) throw new Error('not every service is ready; see the table above and the service logs');
}

async function down(): Promise<void> {
  for (const s of SERVICES) console.log(`${s.name}: ${await stopService(s)}`);
  if (process.argv.includes('--infra')) infra('down');
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'up') return up();
  if (command === 'down') return down();
  if (command === 'status') {
    if (!(await printStatus())) process.exitCode = 1;
    return;
  }
  console.error('usage: stack-cli up | down [--infra] | status');
  process.exitCode = 2;
}

main().catch((err: unknown) => {
  console.error(`finmesh: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
