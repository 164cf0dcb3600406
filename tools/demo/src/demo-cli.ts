import { ERP_SIMULATOR, localJwtSecret, PROCUREMENT_SIMULATOR, SERVICES } from '@finmesh/stack';
import { reportingSummary } from './reporting-summary';
import { runSourceToPayScenario } from './source-to-pay-scenario';

/**
 * `npm run demo` (and the end of `npm start`): the source-to-pay flow on the running local stack,
 * then a table of what finmesh made of each case and where to look.
 */
const url = (name: string): string => `http://127.0.0.1:${SERVICES.find((s) => s.name === name)!.port}`;

async function main(): Promise<number> {
  const report = await runSourceToPayScenario(
    {
      supplierSync: url('supplier-sync'),
      poSync: url('po-sync'),
      invoiceSync: url('invoice-sync'),
      paymentSync: url('payment-sync'),
      erpSimulator: `http://127.0.0.1:${ERP_SIMULATOR.port}`,
      procurementSimulator: `http://127.0.0.1:${PROCUREMENT_SIMULATOR.port}`,
      jwtSecret: localJwtSecret(),
    },
    (line) => console.log(`  ${line}`),
  );
  console.log(`\nsource-to-pay demo, run ${report.runId} (${(report.durationMs / 1000).toFixed(1)} s)\n`);
  console.log(`${'case'.padEnd(34)}${'invoice'.padEnd(18)}${'status'.padEnd(17)}${'ERP postings'.padEnd(14)}${'reasons'.padEnd(20)}ok`);
  for (const c of report.cases) {
    console.log(
      `${c.name.padEnd(34)}${String(c.invoiceNumber).padEnd(18)}${c.status.padEnd(17)}${String(c.erpPostings).padEnd(14)}${(c.exceptionReasons.join(',') || '-').padEnd(20)}${c.ok ? 'yes' : 'NO'}`,
    );
  }
  console.log(`\nreceipt for an unknown PO: HTTP ${report.parkedReceipt.status}, parked for ops (${report.parkedReceipt.reason})`);
  console.log(`ERP payment run: ${report.payments.map((p) => `${p.paymentId} → ${p.invoices.join(' + ')}`).join('; ')}`);
  console.log('\nreporting (the projector\'s read models, all runs so far):');
  for (const line of await reportingSummary(url('reporting-projector'), localJwtSecret()).catch((err: unknown) => [`unavailable: ${(err as Error).message}`])) {
    console.log(`  ${line}`);
  }
  const token = 'npm run -s token -- ops-console ops,reporting-reader';
  const first = report.cases[0];
  console.log(`
Where to look:
  invoice:          curl -H "Authorization: Bearer $(${token})" ${url('invoice-sync')}/v1/invoices/${first?.invoiceId ?? '<id>'}
  parked receipts:  curl -H "Authorization: Bearer $(${token})" ${url('po-sync')}/v1/ops/parked-receipts
  ERP postings:     curl http://127.0.0.1:${ERP_SIMULATOR.port}/__admin/postings
  reports:          curl -H "Authorization: Bearer $(${token})" ${url('reporting-projector')}/v1/reports   (JSON; -H "Accept: text/csv" for CSV)
  dashboard:        ${url('reporting-projector')}/dashboard#token=$(${token})
  API documents:    ${url('invoice-sync')}/v1/openapi.json (each service serves its own)
  service logs:     .finmesh/logs/<service>.log`);
  return report.cases.every((c) => c.ok) ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
