import type { InvoiceReceived, MatchExceptionDetail, SupplierBlockScope, SupplierStatus } from '@finmesh/contracts';
import { tolerancesFor, type MatchToleranceRules, type ResolvedTolerances } from '../matching/match-tolerance-rules';
import { matchInvoice, type InvoiceToMatch, type MatchResult, type PurchaseOrderToMatch } from '../matching/three-way-match';
import { detectDuplicateInvoice, type DuplicateMatch, type SeenInvoice } from './duplicate-invoice-detection';
import type { TaxCodeRules } from './tax-code-rules';
import { validateTaxCodes } from './tax-code-validation';

/**
 * The invoice decision of invoice-sync: one pure function from an InvoiceReceived and what the
 * service knows (supplier, earlier invoices, PO, receipts, rules) to a status with its reasons.
 * The service calls it when an invoice arrives and again whenever something it depends on changes
 * (a goods receipt, a supplier unblocked, a PO changed), so it must not depend on anything but its
 * input; it is idempotent: the invoice itself is never its own duplicate.
 *
 * Checks and precedence of the resulting status (all checks run, so the clerk sees every reason at
 * once, except matching, which is skipped for duplicates: a duplicate's quantities would only
 * restate the duplicate as over-invoicing):
 *
 * 1. supplier: unknown (no SupplierUpserted yet: supplier and invoice topics are not ordered with
 *    each other), BLOCKED, or blocked for ALL / POSTING -> ON_HOLD with SUPPLIER_BLOCKED. ON_HOLD
 *    wins over everything: nothing is worth a clerk's time, nor may be posted, until the supplier
 *    is clear, and the hold is lifted by a supplier event, not by a person. A PURCHASING block
 *    (no new POs) or a PAYMENT block (payment-sync stops the payment) does not stop the invoice.
 *    INACTIVE -> SUPPLIER_BLOCKED as an EXCEPTION: a person decides whether to re-activate.
 * 2. duplicate (same supplier, normalised number or gross amount + date) -> DUPLICATE_INVOICE.
 * 3. tax codes of the legal entity's country, rates and tax amounts -> TAX_CODE_INVALID.
 * 4. PO: none quoted -> PO_NOT_FOUND (non-PO invoices are coded by hand); otherwise matching:
 *    PO existence and ownership, currency, price, quantity, receipts, total.
 *
 * Status: ON_HOLD (1) > EXCEPTION (any reason a person must resolve) > WAITING_FOR_RECEIPT (every
 * reason is one a goods receipt resolves: NO_RECEIPT, or a THREE_WAY quantity above what was
 * received but within the order) > MATCHED.
 */

export type InvoiceStatus = 'MATCHED' | 'EXCEPTION' | 'ON_HOLD' | 'WAITING_FOR_RECEIPT';

/** invoice-sync's copy of the supplier (from SupplierUpserted / SupplierBlocked / SupplierUnblocked). */
export interface SupplierState {
  readonly supplierId: string;
  readonly status: SupplierStatus;
  /** Scopes of the blocks currently in force (SupplierBlocked not yet lifted). */
  readonly blockScopes: readonly SupplierBlockScope[];
}

export interface InvoiceValidationInput {
  readonly invoice: InvoiceReceived;
  /** null when the supplier is not known to invoice-sync. */
  readonly supplier: SupplierState | null;
  /** Earlier invoices and credit notes of the same supplier (may include this invoice). */
  readonly earlierInvoicesOfSupplier: readonly SeenInvoice[];
  /** The PO quoted on the invoice, as invoice-sync holds it; null when unknown or none quoted. */
  readonly purchaseOrder: PurchaseOrderToMatch | null;
  /** Received quantity per PO line number of that PO. */
  readonly receivedQuantities: ReadonlyMap<number, string>;
  readonly toleranceRules: MatchToleranceRules;
  readonly taxCodeRules: TaxCodeRules;
}

export interface InvoiceDecision {
  readonly status: InvoiceStatus;
  /** Every reason found, in check order (MatchExceptionRaised.reasons); empty when MATCHED. */
  readonly reasons: readonly MatchExceptionDetail[];
  /** null when matching did not run (duplicate, or no PO quoted). */
  readonly matchResult: MatchResult | null;
  readonly duplicates: readonly DuplicateMatch[];
  /** Tolerances the decision used, with the levels they came from (audit trail). */
  readonly tolerances: ResolvedTolerances;
}

/** Scopes that stop an invoice from being processed. */
const HOLDING_SCOPES: ReadonlySet<SupplierBlockScope> = new Set<SupplierBlockScope>(['ALL', 'POSTING']);

export function validateInvoice(input: InvoiceValidationInput): InvoiceDecision {
  const { invoice } = input;
  const legalEntity = invoice.envelope.legalEntity;
  const tolerances = tolerancesFor(input.toleranceRules, legalEntity.code, legalEntity.country);

  const supplier = supplierCheck(invoice.supplierId, input.supplier);

  const duplicateCheck = detectDuplicateInvoice(seenInvoiceOf(invoice), input.earlierInvoicesOfSupplier);
  const duplicateReasons = duplicateCheck.matches.map(duplicateReason);

  const taxReasons = validateTaxCodes(invoice, legalEntity.country, input.taxCodeRules);

  let matchResult: MatchResult | null = null;
  const poReasons: MatchExceptionDetail[] = [];
  if (invoice.purchaseOrderId === null) {
    poReasons.push(reason('PO_NOT_FOUND', 'The invoice quotes no purchase order; non-PO invoices are coded and approved by hand.'));
  } else if (!duplicateCheck.isDuplicate) {
    matchResult = matchInvoice({
      invoice: invoiceToMatch(invoice, invoice.purchaseOrderId),
      purchaseOrder: input.purchaseOrder,
      receivedQuantities: input.receivedQuantities,
      tolerances,
    });
  }

  const matchReasons = matchResult?.exceptions ?? [];
  const reasons = [...supplier.reasons, ...duplicateReasons, ...taxReasons, ...poReasons, ...matchReasons];
  return {
    status: statusOf(supplier.hold, reasons, matchResult),
    reasons,
    matchResult,
    duplicates: duplicateCheck.matches,
    tolerances,
  };
}

function statusOf(hold: boolean, reasons: readonly MatchExceptionDetail[], matchResult: MatchResult | null): InvoiceStatus {
  if (hold) return 'ON_HOLD';
  if (reasons.length === 0) return 'MATCHED';
  const pending = new Set(matchResult?.receiptPendingLineNumbers ?? []);
  const resolvedByReceipt = (r: MatchExceptionDetail): boolean =>
    (r.code === 'NO_RECEIPT' || r.code === 'QTY_VARIANCE') && r.lineNumber !== null && pending.has(r.lineNumber);
  return reasons.every(resolvedByReceipt) ? 'WAITING_FOR_RECEIPT' : 'EXCEPTION';
}

function supplierCheck(supplierId: string, supplier: SupplierState | null): { hold: boolean; reasons: MatchExceptionDetail[] } {
  if (supplier === null) {
    return {
      hold: true,
      reasons: [reason('SUPPLIER_BLOCKED', `Supplier ${supplierId} is not known yet; the invoice is held until its master data arrives.`)],
    };
  }
  const scopes = supplier.blockScopes.filter((s) => HOLDING_SCOPES.has(s));
  if (supplier.status === 'BLOCKED' || scopes.length > 0) {
    const detail = scopes.length > 0 ? ` (block: ${scopes.join(', ')})` : '';
    return { hold: true, reasons: [reason('SUPPLIER_BLOCKED', `Supplier ${supplierId} is blocked${detail}; the invoice is on hold until the block is lifted.`)] };
  }
  if (supplier.status === 'INACTIVE') {
    return { hold: false, reasons: [reason('SUPPLIER_BLOCKED', `Supplier ${supplierId} is inactive; re-activate it or reject the invoice.`)] };
  }
  return { hold: false, reasons: [] };
}

function duplicateReason(match: DuplicateMatch): MatchExceptionDetail {
  const e = match.earlier;
  const why = match.rules
    .map((r) => (r === 'NUMBER' ? `the same invoice number (${e.supplierInvoiceNumber})` : `the same gross amount ${e.grossAmount} ${e.currency} and date ${e.invoiceDate}`))
    .join(' and ');
  return reason('DUPLICATE_INVOICE', `Possible duplicate of invoice ${e.invoiceId}: ${why}.`);
}

function reason(code: MatchExceptionDetail['code'], message: string): MatchExceptionDetail {
  return { code, lineNumber: null, expected: null, actual: null, variance: null, tolerance: null, message };
}

/** The duplicate-detection view of an invoice. */
export function seenInvoiceOf(invoice: InvoiceReceived): SeenInvoice {
  return {
    invoiceId: invoice.invoiceId,
    supplierInvoiceNumber: invoice.supplierInvoiceNumber,
    documentType: invoice.documentType,
    grossAmount: invoice.totals.gross.amount,
    currency: invoice.currency,
    invoiceDate: invoice.invoiceDate,
  };
}

/** The matching view of an invoice. */
export function invoiceToMatch(invoice: InvoiceReceived, purchaseOrderId: string): InvoiceToMatch {
  return {
    supplierId: invoice.supplierId,
    purchaseOrderId,
    currency: invoice.currency,
    netTotal: invoice.totals.net.amount,
    lines: invoice.lines.map((l) => ({
      lineNumber: l.lineNumber,
      poLineNumber: l.poLineNumber,
      quantity: l.quantity,
      unitPrice: l.unitPrice.amount,
      amount: l.amount.amount,
    })),
  };
}
