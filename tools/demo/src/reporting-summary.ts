import { Decimal, decimal, MONEY_SCALE } from '@finmesh/contracts';
import { mintDevToken } from '@finmesh/service-kit';

interface ReportBody {
  readonly rows: readonly Record<string, unknown>[];
  readonly consumerLag?: { readonly totalLag: string } | null;
}

/**
 * After the demo flow: waits until the reporting projector has caught up with it, then returns a few
 * lines of what finance would see (open exceptions, posting success, unpaid invoices).
 */
export async function reportingSummary(projectorUrl: string, jwtSecret: string, timeoutMs = 30_000): Promise<string[]> {
  const token = await mintDevToken({ clientId: 'demo', roles: ['reporting-reader'], secret: jwtSecret });
  const get = async (report: string): Promise<ReportBody> => {
    const res = await fetch(`${projectorUrl}/v1/reports/${report}?pageSize=1000`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET /v1/reports/${report}: HTTP ${res.status}`);
    return (await res.json()) as ReportBody;
  };
  const deadline = Date.now() + timeoutMs;
  let lag = '?';
  while (Date.now() < deadline) {
    lag = (await get('freshness')).consumerLag?.totalLag ?? '?';
    if (lag === '0') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const exceptions = (await get('exceptions')).rows;
  const cycle = (await get('payment-cycle')).rows;
  const liabilities = (await get('liabilities')).rows;
  return [
    `projector lag: ${lag === '0' ? 'caught up' : `${lag} events behind`}`,
    `open exceptions: ${exceptions.map((e) => `${String(e['reason'])} ${String(e['legal_entity'])}=${String(e['open_count'])}`).join(', ') || 'none'}`,
    `posting success: ${cycle.map((c) => `${String(c['legal_entity'])} ${c['posting_success_rate'] === null ? '-' : `${Math.round(Number(c['posting_success_rate']) * 100)}%`}`).join(', ')}`,
    `unpaid invoices: ${unpaidInvoiceTotals(liabilities).join(', ') || 'none'}`,
  ];
}

/**
 * "1250.5000 EUR" per currency: the exact sum of the UNPAID_INVOICE liabilities (canonical decimal
 * strings from the API; money never goes through a float), signed ("-0.5000" for a net credit).
 */
export function unpaidInvoiceTotals(liabilities: readonly Record<string, unknown>[]): string[] {
  const unpaid = new Map<string, Decimal>();
  for (const r of liabilities.filter((l) => l['category'] === 'UNPAID_INVOICE')) {
    const currency = String(r['currency']);
    unpaid.set(currency, (unpaid.get(currency) ?? Decimal.ZERO).add(decimal(String(r['amount']))));
  }
  return [...unpaid].map(([currency, total]) => `${total.toFixed(MONEY_SCALE)} ${currency}`);
}
