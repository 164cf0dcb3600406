/**
 * `npm run bench:polling [-- --suppliers 2000 --page-size 100 --interval-ms 1000 --changes 200]`
 *
 * Inbound polling on the real local stack: supplier-sync polls the ERP simulator's Fusion
 * `suppliers` collection (HTTP Basic, LastUpdateDate watermark, limit/offset paging) and publishes
 * SupplierUpserted through its outbox to Kafka. Measured in one run:
 *   1. poll_backlog_rps: N suppliers changed in the ERP before the service starts, from the first
 *      to the last of their N canonical events on the topic (boot excluded; it is reported apart);
 *   2. raw_page_read_rps (the reference): the same collection read page by page with the same
 *      page size and credentials, nothing applied — what the platform API alone allows;
 *   3. change -> canonical event latency under a steady trickle: one supplier changed at a time
 *      (every `--gap-ms`), latency = seen on the topic - the row's LastUpdateDate; p50/p99/max.
 * Prints the figures and writes bench/results/polling.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nameBasedId } from '@finmesh/adapters';
import { topicNameFor } from '@finmesh/contracts';
import { startErpSimulator } from '@finmesh/erp-simulator';
import { supplierSyncService } from '@finmesh/supplier-sync';
import { createTestSchema, dropTestSchema, provisionTestNamespace, startServiceUnderTest, TopicRecorder } from '@finmesh/testing';
import { cliInt, perSecond, REPO_ROOT, runCli } from '../backbone/bench-support';

const SUPPLIER = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'libs/adapters/src/erp/fixtures/fusion-supplier.json'), 'utf8')) as Record<string, unknown>;
const BASIC = `Basic ${Buffer.from('finmesh:finmesh-dev').toString('base64')}`;

function progress(message: string): void {
  process.stderr.write(`[bench:polling] ${message}\n`);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function main(): Promise<Record<string, unknown>> {
  const argv = process.argv.slice(2);
  const suppliers = cliInt(argv, 'suppliers', 2000);
  const pageSize = cliInt(argv, 'page-size', 100);
  const intervalMs = cliInt(argv, 'interval-ms', 1000);
  const changes = cliInt(argv, 'changes', 200);
  const gapMs = cliInt(argv, 'gap-ms', 50);
  const run = Date.now().toString(36);

  const erp = await startErpSimulator({ port: 0 });
  const ns = await provisionTestNamespace();
  const schema = await createTestSchema();
  const recorder = await TopicRecorder.start(topicNameFor('SupplierUpserted', ns.prefix));
  const { bankAccounts: _b, SupplierId: _i, LastUpdateDate: _l, CreationDate: _c, ...template } = SUPPLIER;
  const load = async (supplierNumber: string, alternateName: string): Promise<string> => {
    const res = await fetch(`${erp.url}/__admin/suppliers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...template, SupplierNumber: supplierNumber, AlternateName: alternateName }),
    });
    if (res.status >= 300) throw new Error(`loading supplier ${supplierNumber} answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { LastUpdateDate: string }).LastUpdateDate;
  };
  try {
    progress(`loading ${suppliers} suppliers into the ERP simulator`);
    const numbers = Array.from({ length: suppliers }, (_, i) => `B${run}-${i}`);
    for (const n of numbers) await load(n, 'initial');

    // Reference: the collection read page by page, same page size and credentials, nothing applied.
    const rawStart = Date.now();
    let read = 0;
    for (let offset = 0, more = true; more; offset += pageSize) {
      const url = `${erp.url}/fscmRestApi/resources/11.13.18.05/suppliers?q=${encodeURIComponent("LastUpdateDate >= '1970-01-01T00:00:00.000Z'")}&orderBy=LastUpdateDate:asc,SupplierId:asc&limit=${pageSize}&offset=${offset}&onlyData=true&expand=sites,addresses`;
      const page = (await (await fetch(url, { headers: { authorization: BASIC } })).json()) as { items: unknown[]; hasMore: boolean };
      read += page.items.length;
      more = page.hasMore;
    }
    const rawMs = Date.now() - rawStart;

    const env = {
      FINMESH_ERP_BASE_URL: erp.url,
      FINMESH_ERP_AUTH: 'basic',
      FINMESH_ERP_USERNAME: 'finmesh',
      FINMESH_ERP_PASSWORD: 'finmesh-dev',
      FINMESH_ERP_POLL_INTERVAL_MS: String(intervalMs),
      FINMESH_ERP_POLL_PAGE_SIZE: String(pageSize),
      FINMESH_ERP_POLL_OVERLAP_MS: '5000',
    };
    progress(`starting supplier-sync, polling every ${intervalMs} ms, ${pageSize} per page`);
    const started = Date.now();
    const service = await startServiceUnderTest(supplierSyncService(env), { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: 'bench-polling-secret-0123456789abcdef0123' }, env);
    try {
      const ids = numbers.map((n) => nameBasedId('supplier', n));
      await waitFor('the backlog on the topic', () => recorder.events.length >= suppliers, 600_000);
      const bootToLastMs = Date.now() - started;
      const backlogMs = recorder.events[suppliers - 1]!.seenAt - recorder.events[0]!.seenAt;
      const duplicates = ids.filter((id) => recorder.of('SupplierUpserted', id).length !== 1).length;

      progress(`${changes} single changes, one every ${gapMs} ms`);
      const latencies: number[] = [];
      for (let i = 0; i < changes; i++) {
        const n = numbers[i % numbers.length]!;
        const id = nameBasedId('supplier', n);
        const before = recorder.of('SupplierUpserted', id).length;
        const changedAt = Date.parse(await load(n, `change-${i}`));
        await waitFor(`change ${i}`, () => recorder.of('SupplierUpserted', id).length > before, 60_000);
        latencies.push(recorder.of('SupplierUpserted', id)[before]!.seenAt - changedAt);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      latencies.sort((a, b) => a - b);
      const calls = (await (await fetch(`${erp.url}/__admin/calls`)).json()) as { items?: { path: string }[] };
      const result = {
        benchmark: 'polling',
        measuredAt: new Date().toISOString(),
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
        settings: { suppliers, pageSize, intervalMs, changes, gapMs, overlapMs: 5000 },
        poll_backlog_rps: perSecond(suppliers - 1, backlogMs),
        poll_backlog_ms: backlogMs,
        service_start_to_last_event_ms: bootToLastMs,
        raw_page_read_rps: perSecond(read, rawMs),
        backlog_vs_raw_read: Math.round((perSecond(suppliers - 1, backlogMs) / perSecond(read, rawMs)) * 1000) / 1000,
        duplicates,
        change_to_event_ms: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1], n: latencies.length },
        erp_calls_recorded: calls.items?.length ?? null,
      };
      fs.mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
      fs.writeFileSync(path.join(REPO_ROOT, 'bench/results/polling.json'), `${JSON.stringify(result, null, 2)}\n`);
      return result;
    } finally {
      await service.app.close();
    }
  } finally {
    await recorder.stop();
    await erp.close();
    await ns.cleanup();
    await dropTestSchema(schema);
  }
}

runCli(main);
