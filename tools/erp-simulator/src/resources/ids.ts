/**
 * Id sequences shared by every simulator started in the process: like a real ERP's, ids never
 * repeat — not across two simulators in one test process, and (because the first id is derived
 * from the start time) not across restarts either. A repeated CheckId or InvoiceId would look to
 * finmesh like a redelivery of an earlier document.
 */
const next = new Map<string, number>();

export function sequence(name: string, first: number): () => number {
  return () => {
    const n = Math.max(next.get(name) ?? first, first);
    next.set(name, n + 1);
    return n;
  };
}

/** A large Fusion-looking surrogate key start (300…), distinct per resource and per start time. */
export function firstKey(block: number): number {
  return 300_000_000_000_001 + block * 100_000_000_000 + (Date.now() % 100_000_000) * 1000;
}
