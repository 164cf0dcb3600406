import type { EntityManager } from 'typeorm';
import { settlementCoverage, type SettlementCoverage } from '@finmesh/contracts';
import { invoiceStore, type StoredInvoice } from '../invoices/invoice-store';
import { paymentAllocationStore } from './payment-allocation-store';
import type { InvoiceLifecycleStatus } from '../invoices/invoice-status';

/** Statuses payments may move (a payment for an invoice not posted yet is recorded, applied once posted). */
const PAYABLE_STATUSES: readonly InvoiceLifecycleStatus[] = ['POSTED', 'PARTIALLY_PAID', 'PAID'];

export type PaymentRefresh =
  | { readonly kind: 'unknown-invoice' }
  /** Not in the ERP yet: its allocations stay parked (recorded, settling nothing) until it is posted. */
  | { readonly kind: 'not-posted'; readonly status: InvoiceLifecycleStatus }
  | { readonly kind: 'currency-mismatch'; readonly currencies: readonly string[] }
  | { readonly kind: 'updated'; readonly settled: string; readonly status: InvoiceLifecycleStatus; readonly before: StoredInvoice };

const STATUS_BY_COVERAGE: Readonly<Record<SettlementCoverage, InvoiceLifecycleStatus>> = { full: 'PAID', partial: 'PARTIALLY_PAID', none: 'POSTED' };

/**
 * Recomputes an invoice's settled amount and payment status from its stored allocations:
 * settled = sum over payments of amount + discount taken (an early-payment discount settles its
 * part of the gross too); |settled| >= |gross| -> PAID, > 0 -> PARTIALLY_PAID (magnitudes, so credit
 * notes settled by negative amounts work alike). An invoice not posted yet is not touched: its
 * allocations stay parked (recorded, settling nothing, neither status nor settled amount) and apply
 * when it is posted, which calls this again (payments and invoices travel on different topics).
 */
export async function refreshPaymentStatus(db: EntityManager, invoiceId: string): Promise<PaymentRefresh> {
  const invoice = await invoiceStore.find(db, invoiceId, true);
  if (!invoice) return { kind: 'unknown-invoice' };
  if (!PAYABLE_STATUSES.includes(invoice.status)) return { kind: 'not-posted', status: invoice.status };
  const { settled, currencies } = await paymentAllocationStore.settlement(db, invoiceId);
  if (currencies.some((c) => c !== invoice.invoice.currency)) return { kind: 'currency-mismatch', currencies };
  const status = STATUS_BY_COVERAGE[settlementCoverage(settled, invoice.grossAmount)];
  await invoiceStore.setSettledAmount(db, invoiceId, settled, status);
  return { kind: 'updated', settled, status, before: invoice };
}
