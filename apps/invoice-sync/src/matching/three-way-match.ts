import {
  Decimal,
  decimal,
  MONEY_SCALE,
  QUANTITY_SCALE,
  UNIT_PRICE_SCALE,
  type MatchExceptionDetail,
  type MatchLineResult,
  type MatchType,
} from '@finmesh/contracts';
import type { MatchTolerances, ToleranceLimit } from './match-tolerance-rules';

/**
 * Two- and three-way matching of one invoice against its purchase order (and goods receipts), as a
 * pure function. Each invoice line is matched as its PO line requires (PurchaseOrderLine.matchType):
 *
 * - price (both modes): invoice unit price vs PO unit price. The allowed variance per unit is
 *   derived from the tolerances (percent of the PO unit price and/or an absolute amount per unit in
 *   the invoice currency, combined STRICTER or LOOSER, see {@link allowedVariance}); the line passes
 *   when |invoice price - PO price| <= allowed variance, or when the invoice price is lower and
 *   lower prices are accepted.
 * - quantity, TWO_WAY: cumulative invoiced (already invoiced on earlier invoices + earlier lines of
 *   this invoice on the same PO line + this line) vs the ordered quantity.
 * - quantity, THREE_WAY: the same cumulative quantity vs the quantity received so far (sum of the
 *   receipts, returns negative); NO_RECEIPT instead when nothing has been received yet.
 * - header: CURRENCY_MISMATCH (invoice vs PO currency; prices are then not compared, because they
 *   are not comparable, quantities still are), PO_NOT_FOUND (no such PO, or a PO of another
 *   supplier: lines are then not matched at all, they must not consume another supplier's
 *   quantities), and the total: invoice net total vs the invoiced quantities at PO unit prices, so
 *   that many small tolerated line variances, or charge lines without a PO line (freight), cannot
 *   add up unnoticed.
 *
 * Every figure is exact (Decimal of @finmesh/contracts); rendered figures are rounded half away
 * from zero to the contract's scale (money and quantities 4, unit prices 6). Output shapes are those of the
 * InvoiceMatched (MatchLineResult) and MatchExceptionRaised (MatchExceptionDetail) contracts.
 */

export interface InvoiceLineToMatch {
  readonly lineNumber: number;
  /** PO line the line refers to; null for charge lines without a PO line (freight, fees). */
  readonly poLineNumber: number | null;
  readonly quantity: string;
  readonly unitPrice: string;
  /** Net line amount. */
  readonly amount: string;
}

export interface InvoiceToMatch {
  readonly supplierId: string;
  /** The purchase order quoted on the invoice. */
  readonly purchaseOrderId: string;
  readonly currency: string;
  /** Invoice net total (totals.net). */
  readonly netTotal: string;
  readonly lines: readonly InvoiceLineToMatch[];
}

export interface PurchaseOrderLineToMatch {
  readonly lineNumber: number;
  /** Ordered quantity. */
  readonly quantity: string;
  readonly unitPrice: string;
  readonly matchType: MatchType;
  /** Quantity already invoiced on this PO line by OTHER invoices (net of credit notes). */
  readonly invoicedQuantity: string;
}

export interface PurchaseOrderToMatch {
  readonly purchaseOrderId: string;
  readonly supplierId: string;
  readonly currency: string;
  readonly lines: readonly PurchaseOrderLineToMatch[];
}

export interface MatchInput {
  readonly invoice: InvoiceToMatch;
  /** The PO quoted on the invoice; null when it is unknown to invoice-sync. */
  readonly purchaseOrder: PurchaseOrderToMatch | null;
  /** Received quantity per PO line number (sum of all receipts); absent = nothing received. */
  readonly receivedQuantities: ReadonlyMap<number, string>;
  readonly tolerances: MatchTolerances;
}

export type MatchOutcome = 'MATCHED' | 'EXCEPTION';

export interface MatchResult {
  readonly outcome: MatchOutcome;
  /** PO matched against; null when not found or of another supplier (MatchExceptionRaised.purchaseOrderId). */
  readonly purchaseOrderId: string | null;
  /** Strictest mode among the matched lines (InvoiceMatched.matchType); null when no line was matched. */
  readonly matchType: MatchType | null;
  /** One per invoice line with a PO line that exists (InvoiceMatched.lineResults). */
  readonly lines: readonly MatchLineResult[];
  /** Header reasons first, then line reasons in line order, then the total (MatchExceptionRaised.reasons). */
  readonly exceptions: readonly MatchExceptionDetail[];
  /**
   * Invoice lines whose only problems a further goods receipt can solve: NO_RECEIPT, or a THREE_WAY
   * quantity above the received quantity but within the ordered quantity (+ tolerance). The invoice
   * validation parks such invoices as WAITING_FOR_RECEIPT instead of sending them to a clerk.
   */
  readonly receiptPendingLineNumbers: readonly number[];
}

/**
 * The variance a limit allows on `expected`: percent of |expected| and/or the absolute amount;
 * STRICTER takes the smaller of the limits that are set, LOOSER the larger; none set = zero.
 */
export function allowedVariance(expected: Decimal, limit: ToleranceLimit): Decimal {
  const limits: Decimal[] = [];
  if (limit.percent !== null) limits.push(expected.abs().percentOf(decimal(limit.percent)));
  if (limit.absolute !== null) limits.push(decimal(limit.absolute));
  const [first, ...rest] = limits;
  if (first === undefined) return Decimal.ZERO;
  return rest.reduce((a, b) => (limit.combine === 'STRICTER' ? Decimal.min(a, b) : Decimal.max(a, b)), first);
}

export function matchInvoice(input: MatchInput): MatchResult {
  const { invoice, purchaseOrder: po, tolerances } = input;

  if (po === null || po.supplierId !== invoice.supplierId) {
    const message =
      po === null
        ? `Purchase order ${invoice.purchaseOrderId} quoted on the invoice is not known.`
        : `Purchase order ${po.purchaseOrderId} belongs to another supplier (${po.supplierId}), not to the invoicing supplier ${invoice.supplierId}.`;
    return {
      outcome: 'EXCEPTION',
      purchaseOrderId: null,
      matchType: null,
      lines: [],
      exceptions: [headerException('PO_NOT_FOUND', message)],
      receiptPendingLineNumbers: [],
    };
  }

  const headerExceptions: MatchExceptionDetail[] = [];
  const currencyMismatch = invoice.currency !== po.currency;
  if (currencyMismatch) {
    headerExceptions.push(
      headerException(
        'CURRENCY_MISMATCH',
        `Invoice currency ${invoice.currency} differs from the currency ${po.currency} of purchase order ${po.purchaseOrderId}; prices were not compared.`,
      ),
    );
  }

  const poLines = new Map(po.lines.map((l) => [l.lineNumber, l]));
  // Quantity invoiced so far per PO line, growing as this invoice's lines are matched in order, so
  // two lines billing the same PO line are checked together.
  const invoicedSoFar = new Map(po.lines.map((l) => [l.lineNumber, decimal(l.invoicedQuantity)]));
  const lineResults: MatchLineResult[] = [];
  const lineExceptions: MatchExceptionDetail[] = [];
  const receiptPending: number[] = [];
  let expectedNet = Decimal.ZERO;

  const invoiceLines = [...invoice.lines].sort((a, b) => a.lineNumber - b.lineNumber);
  for (const line of invoiceLines) {
    if (line.poLineNumber === null) continue; // charge line: judged by the total check only
    const poLine = poLines.get(line.poLineNumber);
    if (poLine === undefined) {
      lineExceptions.push({
        code: 'PO_NOT_FOUND',
        lineNumber: line.lineNumber,
        expected: null,
        actual: null,
        variance: null,
        tolerance: null,
        message: `Line ${line.lineNumber}: purchase order ${po.purchaseOrderId} has no line ${line.poLineNumber}.`,
      });
      continue;
    }

    const quantity = decimal(line.quantity);
    expectedNet = expectedNet.add(quantity.mul(decimal(poLine.unitPrice)));

    const found: MatchExceptionDetail[] = [];
    const price = currencyMismatch ? null : checkPrice(line, poLine, invoice.currency, tolerances);
    if (price?.exception) found.push(price.exception);

    const prior = invoicedSoFar.get(poLine.lineNumber) ?? Decimal.ZERO;
    const cumulative = prior.add(quantity);
    invoicedSoFar.set(poLine.lineNumber, cumulative);
    const received = poLine.matchType === 'THREE_WAY' ? decimal(input.receivedQuantities.get(poLine.lineNumber) ?? '0') : null;
    const qty = checkQuantity(line, poLine, cumulative, received, tolerances);
    found.push(...qty.exceptions);
    if (qty.receiptPending && !found.some((e) => e.code !== 'NO_RECEIPT' && e.code !== 'QTY_VARIANCE')) {
      receiptPending.push(line.lineNumber);
    }

    lineExceptions.push(...found);
    lineResults.push({
      invoiceLineNumber: line.lineNumber,
      poLineNumber: poLine.lineNumber,
      matchType: poLine.matchType,
      invoicedQuantity: quantity.toFixed(QUANTITY_SCALE),
      orderedQuantity: decimal(poLine.quantity).toFixed(QUANTITY_SCALE),
      receivedQuantity: received === null ? null : received.toFixed(QUANTITY_SCALE),
      priceVariance: {
        amount: (price?.perUnit ?? Decimal.ZERO).mul(quantity).toFixed(MONEY_SCALE),
        currency: invoice.currency,
      },
      // A line whose prices could not be compared (other currency) did not match.
      withinTolerance: found.length === 0 && !currencyMismatch,
    });
  }

  const totalException = currencyMismatch ? null : checkTotal(invoice, expectedNet, tolerances);
  const exceptions = [...headerExceptions, ...lineExceptions, ...(totalException ? [totalException] : [])];
  return {
    outcome: exceptions.length === 0 ? 'MATCHED' : 'EXCEPTION',
    purchaseOrderId: po.purchaseOrderId,
    matchType: lineResults.length === 0 ? null : lineResults.some((l) => l.matchType === 'THREE_WAY') ? 'THREE_WAY' : 'TWO_WAY',
    lines: lineResults,
    exceptions,
    receiptPendingLineNumbers: receiptPending,
  };
}

function checkPrice(
  line: InvoiceLineToMatch,
  poLine: PurchaseOrderLineToMatch,
  currency: string,
  tolerances: MatchTolerances,
): { perUnit: Decimal; exception: MatchExceptionDetail | null } {
  const expected = decimal(poLine.unitPrice);
  const actual = decimal(line.unitPrice);
  const perUnit = actual.sub(expected);
  if (perUnit.isZero() || (perUnit.isNegative() && tolerances.unitPrice.acceptLowerPrice)) {
    return { perUnit, exception: null };
  }
  const allowed = allowedVariance(expected, tolerances.unitPrice);
  if (perUnit.abs().compareTo(allowed) <= 0) return { perUnit, exception: null };
  return {
    perUnit,
    exception: {
      code: 'PRICE_VARIANCE',
      lineNumber: line.lineNumber,
      expected: expected.toFixed(UNIT_PRICE_SCALE),
      actual: actual.toFixed(UNIT_PRICE_SCALE),
      variance: perUnit.toFixed(UNIT_PRICE_SCALE),
      tolerance: allowed.toFixed(UNIT_PRICE_SCALE),
      message:
        `Line ${line.lineNumber}: unit price ${actual.toFixed(UNIT_PRICE_SCALE)} ${currency} differs from the PO price ` +
        `${expected.toFixed(UNIT_PRICE_SCALE)} by ${signed(perUnit.toFixed(UNIT_PRICE_SCALE))}${percentOf(perUnit, expected)}; ` +
        `allowed ${allowed.toFixed(UNIT_PRICE_SCALE)} per unit (${describeLimit(tolerances.unitPrice)}).`,
    },
  };
}

function checkQuantity(
  line: InvoiceLineToMatch,
  poLine: PurchaseOrderLineToMatch,
  cumulative: Decimal,
  received: Decimal | null,
  tolerances: MatchTolerances,
): { exceptions: MatchExceptionDetail[]; receiptPending: boolean } {
  const quantity = decimal(line.quantity);
  const ordered = decimal(poLine.quantity);
  const fmt = (d: Decimal): string => d.toFixed(QUANTITY_SCALE);

  if (cumulative.isNegative()) {
    // Credit notes returning more than was ever invoiced on the line.
    return {
      exceptions: [
        qtyException(line.lineNumber, Decimal.ZERO, cumulative, Decimal.ZERO,
          `Line ${line.lineNumber}: credits bring the invoiced quantity of PO line ${poLine.lineNumber} to ${fmt(cumulative)}, below zero.`),
      ],
      receiptPending: false,
    };
  }

  if (received !== null && !received.isPositive() && quantity.isPositive()) {
    return {
      exceptions: [
        {
          code: 'NO_RECEIPT',
          lineNumber: line.lineNumber,
          expected: fmt(received),
          actual: fmt(cumulative),
          variance: fmt(cumulative.sub(received)),
          tolerance: null,
          message: `Line ${line.lineNumber}: PO line ${poLine.lineNumber} requires three-way matching and no goods have been received yet.`,
        },
      ],
      receiptPending: true,
    };
  }

  const basis = received ?? ordered;
  const basisName = received === null ? 'ordered' : 'received';
  const allowed = basis.abs().percentOf(decimal(tolerances.quantity.percent));
  const over = cumulative.sub(basis);
  const exceptions: MatchExceptionDetail[] = [];
  let receiptPending = false;
  if (quantity.isPositive() && over.compareTo(allowed) > 0) {
    exceptions.push(
      qtyException(line.lineNumber, basis, cumulative, allowed,
        `Line ${line.lineNumber}: invoiced quantity of PO line ${poLine.lineNumber} would reach ${fmt(cumulative)} ` +
          `(${fmt(cumulative.sub(quantity))} before this line), ${fmt(basis)} ${basisName}; allowed over ${fmt(allowed)}.`),
    );
    // More may still be received: within the ordered quantity (+ tolerance) a receipt can fix it.
    const orderedAllowed = ordered.abs().percentOf(decimal(tolerances.quantity.percent));
    receiptPending = received !== null && cumulative.sub(ordered).compareTo(orderedAllowed) <= 0;
  } else if (!tolerances.quantity.acceptUnderDelivery && quantity.isPositive() && over.neg().compareTo(allowed) > 0) {
    exceptions.push(
      qtyException(line.lineNumber, basis, cumulative, allowed,
        `Line ${line.lineNumber}: invoiced quantity of PO line ${poLine.lineNumber} reaches only ${fmt(cumulative)} of ${fmt(basis)} ${basisName}; partial invoicing is not accepted for this legal entity.`),
    );
  }
  return { exceptions, receiptPending };
}

function checkTotal(invoice: InvoiceToMatch, expectedNet: Decimal, tolerances: MatchTolerances): MatchExceptionDetail | null {
  const actual = decimal(invoice.netTotal);
  const variance = actual.sub(expectedNet);
  if (variance.isZero() || (variance.isNegative() && tolerances.unitPrice.acceptLowerPrice)) return null;
  const allowed = allowedVariance(expectedNet, tolerances.total);
  if (variance.abs().compareTo(allowed) <= 0) return null;
  return {
    code: 'PRICE_VARIANCE',
    lineNumber: null,
    expected: expectedNet.toFixed(MONEY_SCALE),
    actual: actual.toFixed(MONEY_SCALE),
    variance: variance.toFixed(MONEY_SCALE),
    tolerance: allowed.toFixed(MONEY_SCALE),
    message:
      `Invoice net total ${actual.toFixed(MONEY_SCALE)} ${invoice.currency} differs from the invoiced quantities at PO prices ` +
      `(${expectedNet.toFixed(MONEY_SCALE)}) by ${signed(variance.toFixed(MONEY_SCALE))}${percentOf(variance, expectedNet)}; ` +
      `allowed ${allowed.toFixed(MONEY_SCALE)} (${describeLimit(tolerances.total)}).`,
  };
}

function headerException(code: MatchExceptionDetail['code'], message: string): MatchExceptionDetail {
  return { code, lineNumber: null, expected: null, actual: null, variance: null, tolerance: null, message };
}

function qtyException(
  lineNumber: number,
  expected: Decimal,
  actual: Decimal,
  tolerance: Decimal,
  message: string,
): MatchExceptionDetail {
  return {
    code: 'QTY_VARIANCE',
    lineNumber,
    expected: expected.toFixed(QUANTITY_SCALE),
    actual: actual.toFixed(QUANTITY_SCALE),
    variance: actual.sub(expected).toFixed(QUANTITY_SCALE),
    tolerance: tolerance.toFixed(QUANTITY_SCALE),
    message,
  };
}

function signed(s: string): string {
  return s.startsWith('-') ? s : `+${s}`;
}

function percentOf(variance: Decimal, expected: Decimal): string {
  if (expected.isZero()) return '';
  return ` (${signed(variance.mul(decimal('100')).divide(expected.abs(), 2).toString())} %)`;
}

function describeLimit(limit: ToleranceLimit): string {
  const parts = [
    ...(limit.percent !== null ? [`${limit.percent} %`] : []),
    ...(limit.absolute !== null ? [`${limit.absolute} absolute`] : []),
  ];
  if (parts.length === 0) return 'exact match required';
  return parts.length === 1 ? parts.join('') : `${parts.join(limit.combine === 'STRICTER' ? ' and ' : ' or ')}, ${limit.combine.toLowerCase()}`;
}

/** Received quantity per PO line from receipt lines (GoodsReceiptLine shape; returns are negative). */
export function receivedQuantitiesByPoLine(
  receiptLines: readonly { readonly poLineNumber: number; readonly quantityReceived: string }[],
): Map<number, string> {
  const sums = new Map<number, Decimal>();
  for (const r of receiptLines) {
    sums.set(r.poLineNumber, (sums.get(r.poLineNumber) ?? Decimal.ZERO).add(decimal(r.quantityReceived)));
  }
  return new Map([...sums].map(([line, sum]) => [line, sum.toFixed(QUANTITY_SCALE)]));
}
