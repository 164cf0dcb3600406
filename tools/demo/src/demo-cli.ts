import { AP_SIMULATOR, ERP_SIMULATOR, LOCAL_PLATFORM_CREDENTIALS, localJwtSecret, PROCUREMENT_SIMULATOR, SERVICES } from '@finmesh/stack';
import { commitToDeliveryLatency, readDeliveries } from './delivery-latency';
import { SUPPLIERS } from './demo-master-data';
import { measureHoldPropagation, type HoldPropagationReport } from './hold-propagation';
import { platformsConvergence, type PlatformsConvergence } from './platforms-convergence';
import { reportingSummary } from './reporting-summary';
import { runSourceToPayScenario, type ScenarioReport } from './source-to-pay-scenario';
import { PlatformClient, type StackEndpoints } from './stack-endpoints';
import type { LatencyStats } from './latency-stats';

/**
 * `npm run demo` (and the end of `npm start`): the source-to-pay flow on the running local stack,
 * then hold toggles to measure how fast a supplier hold reaches procurement and AP, then each
 * platform's view compared with finmesh's. Prints a table of each case and where to look;
 * `npm run -s demo -- --json` prints one JSON object instead (progress goes to stderr).
 *
 * DEMO_HOLD_CHANGES (default 200) and DEMO_HOLD_RATE (changes per second, default 5: each change
 * costs about three calls per platform, under the local budget of 20 calls/s) set the hold toggles.
 */
const url = (name: string): string => `http://127.0.0.1:${SERVICES.find((s) => s.name === name)!.port}`;

const json = process.argv.includes('--json');
const env = { ...LOCAL_PLATFORM_CREDENTIALS, ...process.env };
const log = (line: string): void => {
  if (json) process.stderr.write(`  ${line}\n`);
  else console.log(`  ${line}`);
};

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: must be a positive number (got '${raw}')`);
  return value;
}

interface DemoResult {
  readonly runId: string;
  readonly durationMs: number;
  readonly cases: ScenarioReport['cases'];
  readonly platforms: PlatformsConvergence;
  readonly holdPropagationMs: LatencyStats;
  /** `notMeasured`: deliveries of events another service committed (payments), whose commit time invoice-sync does not hold. */
  readonly apStatusLatencyMs: LatencyStats & { readonly notMeasured: number };
  readonly holdToggles: Omit<HoldPropagationReport, 'latency'> & { readonly erpPollIntervalMs: number };
}

async function run(): Promise<{ result: DemoResult; report: ScenarioReport }> {
  const endpoints: StackEndpoints = {
    supplierSync: url('supplier-sync'),
    poSync: url('po-sync'),
    invoiceSync: url('invoice-sync'),
    paymentSync: url('payment-sync'),
    erpSimulator: `http://127.0.0.1:${ERP_SIMULATOR.port}`,
    procurementSimulator: `http://127.0.0.1:${PROCUREMENT_SIMULATOR.port}`,
    apSimulator: `http://127.0.0.1:${AP_SIMULATOR.port}`,
    jwtSecret: localJwtSecret(),
  };
  const started = new Date();
  const report = await runSourceToPayScenario(endpoints, log);
  const holds = await measureHoldPropagation(endpoints, { changes: positiveNumber('DEMO_HOLD_CHANGES', 200), changesPerSecond: positiveNumber('DEMO_HOLD_RATE', 5), suppliers: SUPPLIERS }, log);
  log('comparing each platform with finmesh');
  const platforms = await platformsConvergence(endpoints, report, env);
  const ops = new PlatformClient(endpoints.jwtSecret, 'ops-console', ['ops']);
  const apStatus = commitToDeliveryLatency(await readDeliveries(ops, endpoints.invoiceSync, started, 'ap:invoice-status'));
  const { latency, ...toggles } = holds;
  return {
    report,
    result: {
      runId: report.runId,
      durationMs: Date.now() - started.getTime(),
      cases: report.cases,
      platforms,
      holdPropagationMs: latency,
      apStatusLatencyMs: apStatus,
      // Holds reach supplier-sync by push here; polling the ERP is the other way in, at this interval.
      holdToggles: { ...toggles, erpPollIntervalMs: positiveNumber('FINMESH_ERP_POLL_INTERVAL_MS', 5000) },
    },
  };
}

function stats(s: LatencyStats): string {
  return `p50 ${s.p50 ?? '-'} ms, p99 ${s.p99 ?? '-'} ms, n=${s.n}`;
}

async function printTable(result: DemoResult, report: ScenarioReport): Promise<void> {
  console.log(`\nsource-to-pay demo, run ${report.runId} (${(report.durationMs / 1000).toFixed(1)} s)\n`);
  console.log(`${'case'.padEnd(34)}${'invoice'.padEnd(18)}${'status'.padEnd(17)}${'ERP postings'.padEnd(14)}${'reasons'.padEnd(20)}ok`);
  for (const c of report.cases) {
    console.log(
      `${c.name.padEnd(34)}${String(c.invoiceNumber).padEnd(18)}${c.status.padEnd(17)}${String(c.erpPostings).padEnd(14)}${(c.exceptionReasons.join(',') || '-').padEnd(20)}${c.ok ? 'yes' : 'NO'}`,
    );
  }
  console.log(`\nreceipt for an unknown PO: HTTP ${report.parkedReceipt.status}, parked for ops (${report.parkedReceipt.reason})`);
  console.log(`ERP payment run: ${report.payments.map((p) => `${p.paymentId} → ${p.invoices.join(' + ')}`).join('; ')}`);
  const t = result.holdToggles;
  console.log(`\nsupplier holds: ${t.changes} changes at ${t.changesPerSecond}/s (by push; ERP poll interval ${t.erpPollIntervalMs} ms), to ${t.sinks.join(' and ')}: ${stats(result.holdPropagationMs)}${t.undelivered > 0 ? `, ${t.undelivered} not delivered` : ''}`);
  console.log(
    `invoice status to AP (invoice-sync's event commit → AP's 2xx): ${stats(result.apStatusLatencyMs)}; ${result.apStatusLatencyMs.notMeasured} payment updates committed by payment-sync not measured`,
  );
  console.log('\nplatforms compared with finmesh:');
  for (const [name, c] of Object.entries(result.platforms)) {
    console.log(`  ${name.padEnd(12)}${c.converged ? 'converged' : `${c.differences.length} difference(s)`}`);
    for (const d of c.differences.slice(0, 5)) console.log(`    ${d.entity} ${d.key}: ${d.kind}${d.field ? ` ${d.field} expected ${String(d.expected)} got ${String(d.actual)}` : ''}`);
  }
  console.log("\nreporting (the projector's read models, all runs so far):");
  for (const line of await reportingSummary(url('reporting-projector'), localJwtSecret()).catch((err: unknown) => [`unavailable: ${(err as Error).message}`])) {
    console.log(`  ${line}`);
  }
  const token = 'npm run -s token -- ops-console ops,reporting-reader';
  const first = report.cases[0];
  console.log(`
Where to look:
  invoice:          curl -H "Authorization: Bearer $(${token})" ${url('invoice-sync')}/v1/invoices/${first?.invoiceId ?? '<id>'}
  write-backs:      curl -H "Authorization: Bearer $(${token})" "${url('supplier-sync')}/v1/ops/deliveries?sink=coupa:supplier-holds"   (also invoice-sync: ap:invoice-status)
  parked receipts:  curl -H "Authorization: Bearer $(${token})" ${url('po-sync')}/v1/ops/parked-receipts
  ERP postings:     curl http://127.0.0.1:${ERP_SIMULATOR.port}/__admin/postings
  AP invoices:      curl http://127.0.0.1:${AP_SIMULATOR.port}/__admin/invoices
  reports:          curl -H "Authorization: Bearer $(${token})" ${url('reporting-projector')}/v1/reports   (JSON; -H "Accept: text/csv" for CSV)
  dashboard:        ${url('reporting-projector')}/dashboard#token=$(${token})
  API documents:    ${url('invoice-sync')}/v1/openapi.json (each service serves its own)
  service logs:     .finmesh/logs/<service>.log`);
}

async function main(): Promise<number> {
  const { result, report } = await run();
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else await printTable(result, report);
  const converged = Object.values(result.platforms).every((p) => p.converged);
  return report.cases.every((c) => c.ok) && converged ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
