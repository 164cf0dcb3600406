/**
 * How a payment's allocations change the paid amounts of its invoices, in exact decimals
 * (Decimal, rendered at the contract's money scale; never a float).
 *
 * Overpayment is REFUSED, not flagged: a Fusion payment cannot pay more than an invoice's open
 * amount, so one that does means finmesh and the ERP disagree about the invoice (a missed credit
 * memo, a different posted amount). Accepting it would publish a PAID status resting on numbers
 * nobody can reconcile; refusing (HTTP 422 with the invoice and figures) makes the mismatch visible
 * at once and nothing is written, so the ERP can deliver the payment again once it is fixed.
 */
import { decimal, MONEY_SCALE, settlementCoverage, subtractDecimals, type Decimal, type SettlementCoverage } from '@finmesh/contracts';

export type InvoicePaymentStatus = 'OPEN' | 'PARTIALLY_PAID' | 'PAID';

export interface InvoiceBalance {
  readonly invoiceId: string;
  readonly supplierInvoiceNumber: string | null;
  readonly grossAmount: string;
  readonly amountPaid: string;
  readonly currency: string;
}

export interface AllocationToApply {
  readonly invoiceId: string;
  readonly amount: string;
  readonly currency: string;
  /** Where the allocation sits in the source payload, for problem reports. */
  readonly path: string;
}

export interface InvoiceSettlement {
  readonly invoiceId: string;
  readonly amountPaid: string;
  readonly status: InvoicePaymentStatus;
}

export interface SettlementProblem {
  readonly path: string;
  readonly reason: string;
}

export type SettlementResult =
  | { readonly ok: true; readonly settlements: readonly InvoiceSettlement[] }
  | { readonly ok: false; readonly problems: readonly SettlementProblem[] };

const STATUS_BY_COVERAGE: Readonly<Record<SettlementCoverage, InvoicePaymentStatus>> = { full: 'PAID', partial: 'PARTIALLY_PAID', none: 'OPEN' };

/** The invoice's payment status by the contracts' one rule (settlementCoverage: magnitudes, so credit notes too). */
export function paymentStatusOf(paid: Decimal, gross: Decimal): InvoicePaymentStatus {
  return STATUS_BY_COVERAGE[settlementCoverage(paid, gross)];
}

export function openAmount(grossAmount: string, amountPaid: string): string {
  return subtractDecimals(grossAmount, amountPaid, MONEY_SCALE);
}

/**
 * Applies all allocations (one invoice may appear more than once in a payment) or none: every
 * currency mismatch and overpayment is reported, with the figures.
 */
export function settle(invoices: ReadonlyMap<string, InvoiceBalance>, allocations: readonly AllocationToApply[]): SettlementResult {
  const problems: SettlementProblem[] = [];
  const paid = new Map<string, Decimal>();
  for (const a of allocations) {
    const invoice = invoices.get(a.invoiceId);
    if (!invoice) throw new Error(`settle: invoice ${a.invoiceId} was not loaded`);
    if (invoice.currency !== a.currency) {
      problems.push({ path: a.path, reason: `pays ${a.currency} but invoice ${label(invoice)} is in ${invoice.currency}` });
      continue;
    }
    const before = paid.get(a.invoiceId) ?? decimal(invoice.amountPaid);
    const after = before.add(decimal(a.amount));
    const gross = decimal(invoice.grossAmount);
    if (after.compareTo(gross) > 0) {
      problems.push({
        path: a.path,
        reason:
          `overpays invoice ${label(invoice)}: gross ${invoice.grossAmount} ${invoice.currency}, already paid ` +
          `${before.toFixed(MONEY_SCALE)}, open ${gross.sub(before).toFixed(MONEY_SCALE)}, this payment ${a.amount}`,
      });
      continue;
    }
    paid.set(a.invoiceId, after);
  }
  if (problems.length > 0) return { ok: false, problems };
  const settlements = [...paid.entries()].map(([invoiceId, amount]) => {
    const gross = decimal((invoices.get(invoiceId) as InvoiceBalance).grossAmount);
    return { invoiceId, amountPaid: amount.toFixed(MONEY_SCALE), status: paymentStatusOf(amount, gross) };
  });
  return { ok: true, settlements };
}

function label(invoice: InvoiceBalance): string {
  return invoice.supplierInvoiceNumber ? `${invoice.supplierInvoiceNumber} (${invoice.invoiceId})` : invoice.invoiceId;
}
