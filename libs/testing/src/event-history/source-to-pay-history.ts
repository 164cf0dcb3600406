import type { EventName, FinmeshEvent, MatchExceptionReason, SourcePlatform } from '@finmesh/contracts';
import * as build from './event-builders';

/** One generated event and the record key its topic is keyed by. */
export interface HistoryEvent {
  readonly event: EventName;
  readonly key: string;
  readonly value: FinmeshEvent;
}

export interface HistoryOptions {
  /** Purchase-to-pay flows (each one PO and, mostly, its receipt, invoice and payment): ~7 events each. */
  readonly flows: number;
  readonly suppliers?: number;
  /** Same seed, same history (ids included), so runs and rebuilds compare. */
  readonly seed?: number;
  /** Occurrence time of the first flow; the flows spread over the following year. */
  readonly start?: Date;
}

const EXCEPTION_REASONS: readonly MatchExceptionReason[] = ['PRICE_VARIANCE', 'QTY_VARIANCE', 'NO_RECEIPT', 'TAX_CODE_INVALID'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: a tiny, fast, seedable PRNG; plenty for test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * A realistic source-to-pay history: suppliers (some blocked and released), POs with 1–3 lines over
 * several cost centres (some revised, some closed), receipts, invoices that match or raise
 * exceptions (most overridden later), postings (a few rejected by the ERP), payments and bank
 * confirmations, in three legal entities and two currencies. Events of one flow are in causal
 * order; flows follow each other in time.
 */
export function* sourceToPayHistory(o: HistoryOptions): Generator<HistoryEvent> {
  const random = prng(o.seed ?? 1);
  const tag = ((o.seed ?? 1) >>> 0).toString(16).padStart(8, '0');
  let n = 0;
  const id = () => `${tag}-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}`;
  const start = (o.start ?? new Date('2026-01-01T00:00:00.000Z')).getTime();
  const suppliers = o.suppliers ?? Math.max(3, Math.min(500, Math.ceil(o.flows / 20)));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const env = (event: EventName, at: number, le: build.LegalEntity, platform: SourcePlatform, correlation: string) =>
    build.envelope(event, id(), new Date(at), le, platform, correlation);

  const supplierLe = new Map<string, build.LegalEntity>();
  for (let s = 0; s < suppliers; s++) {
    const supplierId = `SUP-${tag}-${s}`;
    const le = build.LEGAL_ENTITIES[s % build.LEGAL_ENTITIES.length] as build.LegalEntity;
    supplierLe.set(supplierId, le);
    const at = start - DAY + s * 1000;
    yield { event: 'SupplierUpserted', key: supplierId, value: build.supplierUpserted(env('SupplierUpserted', at, le, 'ERP', supplierId), supplierId, 1, `Supplier ${s} B.V.`, le.currency, build.NET_30) };
    if (s % 10 === 3) {
      yield { event: 'SupplierBlocked', key: supplierId, value: build.supplierBlocked(env('SupplierBlocked', at + HOUR, le, 'ERP', supplierId), supplierId) };
      if (s % 20 === 3) yield { event: 'SupplierUnblocked', key: supplierId, value: build.supplierUnblocked(env('SupplierUnblocked', at + 2 * HOUR, le, 'ERP', supplierId), supplierId) };
    }
  }

  const spacing = (365 * DAY) / Math.max(1, o.flows);
  for (let f = 0; f < o.flows; f++) {
    const t0 = start + Math.floor(f * spacing);
    const supplierId = `SUP-${tag}-${Math.floor(random() * suppliers)}`;
    const le = supplierLe.get(supplierId) as build.LegalEntity;
    const poId = `PO-${tag}-${f}`;
    const lines: build.PoLineSpec[] = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => ({
      lineNumber: i + 1,
      quantity: 1 + Math.floor(random() * 50),
      unitPriceCents: BigInt(100 + Math.floor(random() * 500_000)),
      costCenter: `CC-${100 + Math.floor(random() * 12)}`,
    }));
    yield { event: 'PurchaseOrderIssued', key: poId, value: build.purchaseOrderIssued(env('PurchaseOrderIssued', t0, le, 'PROCUREMENT', poId), poId, supplierId, day(new Date(t0)), le.currency, lines) };
    let current = lines;
    if (random() < 0.1) {
      current = lines.map((l, i) => (i === 0 ? { ...l, quantity: l.quantity + 5 } : l)).slice(0, Math.max(1, lines.length - 1));
      yield { event: 'PurchaseOrderChanged', key: poId, value: build.purchaseOrderChanged(env('PurchaseOrderChanged', t0 + 2 * HOUR, le, 'PROCUREMENT', poId), poId, 2, le.currency, current) };
    }
    const received = random() < 0.85;
    const tReceipt = t0 + (1 + Math.floor(random() * 5)) * DAY;
    if (received) {
      yield {
        event: 'GoodsReceiptRecorded',
        key: poId,
        value: build.goodsReceiptRecorded(env('GoodsReceiptRecorded', tReceipt, le, 'PROCUREMENT', poId), poId, `GR-${tag}-${f}`, supplierId, new Date(tReceipt), current.map((l) => ({ lineNumber: l.lineNumber, quantity: l.quantity }))),
      };
    }
    if (random() < 0.05) yield { event: 'PurchaseOrderClosed', key: poId, value: build.purchaseOrderClosed(env('PurchaseOrderClosed', tReceipt + HOUR, le, 'PROCUREMENT', poId), poId) };
    if (random() >= 0.9) continue; // not invoiced yet
    const invoiceId = `INV-${tag}-${f}`;
    const tInvoice = tReceipt + (1 + Math.floor(random() * 6)) * DAY;
    const invoiceDate = day(new Date(tInvoice));
    const dueDate = day(new Date(tInvoice + 30 * DAY));
    yield { event: 'InvoiceReceived', key: invoiceId, value: build.invoiceReceived(env('InvoiceReceived', tInvoice, le, 'AP_AUTOMATION', invoiceId), invoiceId, supplierId, poId, invoiceDate, dueDate, le.currency, current) };
    let tApproved = tInvoice + 2 * HOUR;
    if (received && random() < 0.75) {
      yield { event: 'InvoiceMatched', key: invoiceId, value: build.invoiceMatched(env('InvoiceMatched', tInvoice + HOUR, le, 'FINMESH', invoiceId), invoiceId, supplierId, poId) };
      yield { event: 'InvoiceApproved', key: invoiceId, value: build.invoiceApproved(env('InvoiceApproved', tApproved, le, 'FINMESH', invoiceId), invoiceId, []) };
    } else {
      const exceptionId = id();
      yield {
        event: 'MatchExceptionRaised',
        key: invoiceId,
        value: build.matchExceptionRaised(env('MatchExceptionRaised', tInvoice + HOUR, le, 'FINMESH', invoiceId), invoiceId, exceptionId, supplierId, poId, received ? pick(EXCEPTION_REASONS) : 'NO_RECEIPT'),
      };
      if (random() >= 0.6) continue; // still open
      tApproved = tInvoice + (1 + Math.floor(random() * 10)) * DAY;
      yield { event: 'InvoiceApproved', key: invoiceId, value: build.invoiceApproved(env('InvoiceApproved', tApproved, le, 'FINMESH', invoiceId), invoiceId, [exceptionId]) };
    }
    const tPosted = tApproved + HOUR;
    const gross = build.money(current.reduce((s, l) => s + l.unitPriceCents * BigInt(l.quantity), 0n), le.currency);
    if (random() < 0.05) {
      yield { event: 'InvoicePostingFailed', key: invoiceId, value: build.invoicePostingFailed(env('InvoicePostingFailed', tPosted, le, 'FINMESH', invoiceId), invoiceId) };
      continue;
    }
    yield { event: 'InvoicePosted', key: invoiceId, value: build.invoicePosted(env('InvoicePosted', tPosted, le, 'ERP', invoiceId), invoiceId, `ERP-${tag}-${f}`, day(new Date(tPosted)), gross) };
    if (random() >= 0.7) continue; // not paid yet
    const paymentId = `PAY-${tag}-${f}`;
    const tPaid = tInvoice + (20 + Math.floor(random() * 20)) * DAY;
    yield { event: 'PaymentReleased', key: paymentId, value: build.paymentReleased(env('PaymentReleased', tPaid, le, 'ERP', paymentId), paymentId, supplierId, day(new Date(tPaid)), invoiceId, gross) };
    if (random() < 0.9) {
      const tConfirmed = tPaid + (1 + Math.floor(random() * 3)) * DAY;
      yield { event: 'PaymentConfirmed', key: paymentId, value: build.paymentConfirmed(env('PaymentConfirmed', tConfirmed, le, 'ERP', paymentId), paymentId, supplierId, new Date(tConfirmed), invoiceId, gross) };
    }
  }
}
