import { LEGAL_ENTITIES, type DemoSupplier } from './demo-master-data';
import { readDeliveries, type DeliveryRow } from './delivery-latency';
import { latencyStats, type LatencyStats } from './latency-stats';
import { fusionSupplier } from './platform-payloads';
import { PlatformClient, type StackEndpoints } from './stack-endpoints';

/** The sinks a supplier hold (scope ALL: the ERP's supplier-level HoldFlag) is written back through. */
export const HOLD_SINKS = ['coupa:supplier-holds', 'ap:supplier-holds'] as const;

export interface HoldPropagationOptions {
  /** Hold changes to make (each a block or a release); ≥ 200 for a p99 worth reading. */
  readonly changes: number;
  /** Changes per second across all suppliers: below the platforms' budget, so the sinks are at rest. */
  readonly changesPerSecond: number;
  readonly suppliers: readonly DemoSupplier[];
  /** How long to wait for the last deliveries after the last change. */
  readonly settleMs?: number;
}

export interface HoldPropagationReport {
  /**
   * From the moment supplier-sync detected the change (the push applied: the commit of its
   * SupplierBlocked/Unblocked to the outbox) to the later of the two platforms' 2xx (the ledger's
   * delivered mark, committed right after it), per change.
   */
  readonly latency: LatencyStats;
  readonly changes: number;
  /** Changes whose deliveries had not all landed when measuring stopped. */
  readonly undelivered: number;
  readonly sinks: readonly string[];
  readonly detection: 'push';
  readonly changesPerSecond: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Toggles supplier holds in the ERP (pushed to supplier-sync as Fusion suppliers with HoldFlag on
 * and off), paced across the demo's suppliers, then reads supplier-sync's delivery ledger
 * (GET /v1/ops/deliveries) for the propagation of each change to procurement and AP. Each
 * supplier ends released, as it started.
 */
export async function measureHoldPropagation(endpoints: StackEndpoints, options: HoldPropagationOptions, log: (line: string) => void): Promise<HoldPropagationReport> {
  const erp = new PlatformClient(endpoints.jwtSecret, 'fusion-erp', ['erp-platform']);
  const ops = new PlatformClient(endpoints.jwtSecret, 'ops-console', ['ops']);
  // Only the events this measurement causes: committed from now on (the scenario before it blocks
  // and releases a supplier of its own, which must not count as one of these changes).
  const since = new Date();
  const changes = options.changes + (options.changes % 2); // an even number: every supplier ends released
  const gapMs = 1000 / options.changesPerSecond;
  log(`hold propagation: ${changes} hold changes on ${options.suppliers.length} suppliers at ${options.changesPerSecond}/s`);
  const held = new Map<string, boolean>();
  const supplierIds = new Set<string>();
  const started = Date.now();
  for (let i = 0; i < changes; i += 1) {
    // Two consecutive changes per supplier (block, release), round robin across suppliers.
    const supplier = options.suppliers[Math.floor(i / 2) % options.suppliers.length]!;
    const hold = !(held.get(supplier.number) ?? false);
    const answer = await erp.post(`${endpoints.supplierSync}/v1/erp/suppliers`, fusionSupplier(supplier, LEGAL_ENTITIES[supplier.legalEntity], hold ? { hold: 'Demo hold toggle' } : {}));
    if (answer.status >= 300) throw new Error(`hold toggle for ${supplier.number}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    supplierIds.add(String(answer.body['supplierId']));
    held.set(supplier.number, hold);
    const next = started + (i + 1) * gapMs;
    if (next > Date.now()) await sleep(next - Date.now());
  }

  const deadline = Date.now() + (options.settleMs ?? 30_000);
  let rows: DeliveryRow[] = [];
  let byEvent = new Map<string, DeliveryRow[]>();
  for (;;) {
    rows = (await readDeliveries(ops, endpoints.supplierSync, since)).filter(
      (r) => (HOLD_SINKS as readonly string[]).includes(r.sink) && r.businessKey !== null && supplierIds.has(r.businessKey) && r.committedAt !== null && Date.parse(r.committedAt) >= since.getTime(),
    );
    byEvent = new Map<string, DeliveryRow[]>();
    for (const r of rows) byEvent.set(r.eventId, [...(byEvent.get(r.eventId) ?? []), r]);
    const complete = [...byEvent.values()].filter((rs) => rs.length === HOLD_SINKS.length && rs.every((r) => r.status === 'delivered')).length;
    if (complete >= changes || Date.now() > deadline) break;
    await sleep(250);
  }
  const samples: number[] = [];
  for (const deliveries of byEvent.values()) {
    if (deliveries.length !== HOLD_SINKS.length || deliveries.some((d) => d.deliveredAt === null || d.committedAt === null)) continue;
    const last = Math.max(...deliveries.map((d) => Date.parse(d.deliveredAt!)));
    samples.push(last - Date.parse(deliveries[0]!.committedAt!));
  }
  return { latency: latencyStats(samples), changes, undelivered: changes - samples.length, sinks: HOLD_SINKS, detection: 'push', changesPerSecond: options.changesPerSecond };
}
