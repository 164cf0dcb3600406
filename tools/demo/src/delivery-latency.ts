import { latencyStats, type LatencyStats } from './latency-stats';
import type { PlatformClient } from './stack-endpoints';

/** A row of a service's GET /v1/ops/deliveries (its delivery ledger). */
export interface DeliveryRow {
  readonly sink: string;
  readonly eventId: string;
  readonly businessKey: string | null;
  readonly status: string;
  readonly deliveredAt: string | null;
  readonly eventOccurredAt: string | null;
  readonly committedAt: string | null;
}

/** The deliveries a service made since `since`, newest first (at most 5000). */
export async function readDeliveries(ops: PlatformClient, serviceUrl: string, since: Date, sink?: string): Promise<DeliveryRow[]> {
  const query = `since=${encodeURIComponent(since.toISOString())}&limit=5000${sink ? `&sink=${encodeURIComponent(sink)}` : ''}`;
  const answer = await ops.get(`${serviceUrl}/v1/ops/deliveries?${query}`);
  if (answer.status !== 200) throw new Error(`${serviceUrl} deliveries: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  return answer.body['items'] as DeliveryRow[];
}

/**
 * From each canonical event's commit to the platform's 2xx (the ledger's delivered mark, committed
 * right after it), for the events whose commit the sink's service knows: those it published itself
 * (its outbox row). Events another service committed (payment-sync's payments, in invoice-sync's
 * AP flow) carry only their envelope time, which for ERP-sourced events is the ERP's date, not a
 * commit: they are counted in `notMeasured`, never guessed.
 */
export function commitToDeliveryLatency(rows: readonly DeliveryRow[]): LatencyStats & { readonly notMeasured: number } {
  const samples: number[] = [];
  let notMeasured = 0;
  for (const r of rows) {
    if (r.status !== 'delivered' || !r.deliveredAt) continue;
    if (r.committedAt) samples.push(Date.parse(r.deliveredAt) - Date.parse(r.committedAt));
    else notMeasured += 1;
  }
  return { ...latencyStats(samples), notMeasured };
}
