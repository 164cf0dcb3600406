/**
 * Coupa purchase order -> PurchaseOrderIssued / PurchaseOrderChanged payloads.
 *
 * Shape: Coupa Core API, Purchase Orders (`GET /api/purchase_orders/:id`, JSON with hyphenated
 * keys) and its Purchase Order Lines element list (compass.coupa.com, "Purchase Orders API
 * (/purchase_orders)" and "Purchase Order Lines API"): header `id`, `po-number`, `version`,
 * `status`, `created-at`, `updated-at`, `currency: { code }`, `supplier: { id, name, number }`,
 * `payment-term: { code, days-for-net-payment, days-for-discount-payment, discount-rate }`,
 * `ship-to-address: { street1, street2, city, state, postal-code, country: { code } }`,
 * `created-by` / `updated-by: { login }`; `order-lines[]` with `line-num`, `type`
 * (OrderQuantityLine / OrderAmountLine), `description`, `quantity`, `price`, `total`,
 * `uom: { code }`, `item: { item-number }` / `source-part-num`, `need-by-date`,
 * `receipt-required`, `account: { code, account-type: { name }, segment-1..n }`.
 *
 * Simplified / decided here:
 *  - Coupa has no legal entity. Each line's chart of accounts (`account.account-type.name`) is the
 *    hint given to the caller's LegalEntityLookup (Coupa charts of accounts are usually set up per
 *    legal entity); all lines must resolve to the same one. The ship-to country is not used: a
 *    country is not a company code, and one country often hosts several legal entities.
 *  - GL account and cost center come from account segments; which segment is which is
 *    configuration (`accountSegments`, default segment-2 = GL account, segment-3 = cost center).
 *  - Split accounting (`account-allocations`) is not supported: a line must have one `account`.
 *  - Coupa `version` starts at 1; the canonical revision starts at 0, so revision = version - 1.
 *  - orderDate is the date part of `created-at` as Coupa wrote it (the buyer's local date).
 *  - OrderAmountLine (services bought by amount): quantity 1, unit price = total, unit 'C62'.
 *  - matchType is THREE_WAY when `receipt-required` is true (absent counts as false, Coupa's
 *    default for amount lines), else TWO_WAY.
 *  - Tax: POs carry net amounts; `tax-amount` per line is summed into totals.tax when present.
 *  - Units of measure are passed through upper-cased; Coupa instances are expected to use
 *    UN/ECE Rec 20 codes (EA, HUR, KGM...).
 */
import {
  addDecimals,
  canonicalDecimal,
  MONEY_SCALE,
  QUANTITY_SCALE,
  sumDecimals,
  UNIT_PRICE_SCALE,
  type Address,
  type PaymentTerms,
  type PurchaseOrderLine,
} from '@finmesh/contracts';
import { DEFAULT_LINE_TOLERANCE, checkLineAmount, checkSum } from '../mapping/amount-checks';
import { FieldReader } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { resolveId, resolveLegalEntity, type LegalEntityCandidate } from '../mapping/resolution';

/** Coupa PO JSON as documented (only the fields finmesh reads). Mappers take `unknown` and check it. */
export interface CoupaPurchaseOrder {
  id: number;
  'po-number': string;
  version: number;
  status: string;
  'created-at': string;
  'updated-at': string;
  currency: { code: string };
  supplier: { id: number; name: string; number: string };
  'payment-term'?: { code: string; 'days-for-net-payment': number; 'days-for-discount-payment'?: number | null; 'discount-rate'?: string | number | null } | null;
  'ship-to-address'?: { street1: string; street2?: string | null; city: string; state?: string | null; 'postal-code'?: string | null; country: { code: string } } | null;
  'created-by'?: { login: string } | null;
  'updated-by'?: { login: string } | null;
  total?: string | number | null;
  'order-lines': CoupaOrderLine[];
}

export interface CoupaOrderLine {
  'line-num': number | string;
  type?: 'OrderQuantityLine' | 'OrderAmountLine';
  description: string;
  quantity?: string | number | null;
  price?: string | number | null;
  total: string | number;
  'tax-amount'?: string | number | null;
  uom?: { code: string } | null;
  item?: { 'item-number'?: string | null } | null;
  'source-part-num'?: string | null;
  'need-by-date'?: string | null;
  'receipt-required'?: boolean | null;
  'tax-code'?: { code: string } | null;
  account: { code: string; 'account-type': { name: string }; [segment: `segment-${number}`]: string | null | undefined };
}

export interface CoupaPurchaseOrderOptions {
  /** Which account segments carry the GL account and the cost center. */
  readonly accountSegments?: { readonly glAccount: string; readonly costCenter: string };
  /** Tolerance for quantity x price vs line total, decimal(19,4) string; default one cent. */
  readonly lineTolerance?: string;
}

export interface CoupaPurchaseOrderChangeOptions extends CoupaPurchaseOrderOptions {
  /** Why the order changed, when the caller knows (Coupa's change request justification). */
  readonly changeReason?: string;
}

/** Statuses of an order a supplier may act on; drafts and cancelled orders are not issued. */
const ISSUED_STATUSES = ['issued', 'currently_with_supplier', 'buyer_hold', 'supplier_hold', 'closed', 'soft_closed_for_receiving', 'soft_closed_for_invoicing'] as const;

interface CoupaOrderCommon {
  purchaseOrderId: string;
  poNumber: string;
  revision: number;
  supplierId: string;
  orderDate: string;
  currency: string;
  paymentTerms: PaymentTerms | null;
  shipTo: Address | null;
  lines: PurchaseOrderLine[];
  totals: { net: { amount: string; currency: string }; tax: { amount: string; currency: string }; gross: { amount: string; currency: string } };
  createdBy: string | null;
  changedBy: string | null;
  version: number;
}

function readOrder(
  payload: unknown,
  ctx: MappingContext,
  options: CoupaPurchaseOrderOptions,
): { order: CoupaOrderCommon; legalEntity: Mapped<'PurchaseOrderIssued'>['legalEntity']; occurredAt: Date } {
  const problems = new ProblemCollector();
  const r = FieldReader.root(payload, problems);
  const segments = options.accountSegments ?? { glAccount: 'segment-2', costCenter: 'segment-3' };
  const tolerance = options.lineTolerance ?? DEFAULT_LINE_TOLERANCE;
  const subject = `Coupa purchase order ${r && typeof r.raw('po-number') === 'string' ? String(r.raw('po-number')) : '(without po-number)'}`;
  if (!r) throw new MappingError(subject, problems.problems);

  const poNumber = r.string('po-number');
  const version = r.integer('version', { min: 1 });
  const status = r.string('status');
  if (status !== undefined && !(ISSUED_STATUSES as readonly string[]).includes(status)) {
    r.problem('status', `must be one of ${ISSUED_STATUSES.join(', ')} for an issued order, got ${JSON.stringify(status)}`);
  }
  const orderDate = r.date('created-at');
  const occurredAt = r.timestamp('updated-at');
  const currency = r.object('currency')?.currency('code');
  const supplier = r.object('supplier');
  const supplierId = supplier ? resolveId(ctx, supplier, 'number', 'supplier', supplier.string('number'), 'PROCUREMENT') : undefined;
  const purchaseOrderId = resolveId(ctx, r, 'po-number', 'purchase-order', poNumber, 'PROCUREMENT');

  const termsReader = r.optionalObject('payment-term');
  let paymentTerms: PaymentTerms | null = null;
  if (termsReader) {
    const discountPercent = termsReader.optionalDecimal('discount-rate', 4);
    const discountDays = termsReader.optionalInteger('days-for-discount-payment', { min: 0 });
    paymentTerms = {
      code: termsReader.string('code') ?? '',
      netDays: termsReader.integer('days-for-net-payment', { min: 0 }) ?? 0,
      discountPercent: discountPercent ?? null,
      discountDays: discountPercent === null ? null : (discountDays ?? null),
    };
  }

  const shipReader = r.optionalObject('ship-to-address');
  const shipTo: Address | null = shipReader
    ? {
        line1: shipReader.string('street1') ?? '',
        line2: shipReader.optionalString('street2') ?? null,
        city: shipReader.string('city') ?? '',
        region: shipReader.optionalString('state') ?? null,
        postalCode: shipReader.optionalString('postal-code') ?? null,
        country: shipReader.object('country')?.country('code') ?? '',
      }
    : null;

  const legalEntityHints: LegalEntityCandidate[] = [];
  const seenLineNumbers = new Map<number, string>();
  const taxAmounts: (string | undefined)[] = [];
  const lines: PurchaseOrderLine[] = r.array('order-lines', { minItems: 1 }).map((line) => {
    const lineNumber = line.integer('line-num', { min: 1 });
    if (lineNumber !== undefined) {
      const previous = seenLineNumbers.get(lineNumber);
      if (previous) line.problem('line-num', `duplicates ${previous}.line-num (${lineNumber})`);
      else seenLineNumbers.set(lineNumber, line.path);
    }
    const amountLine = line.has('type') && line.oneOf('type', ['OrderQuantityLine', 'OrderAmountLine']) === 'OrderAmountLine';
    const total = line.decimal('total', MONEY_SCALE);
    const quantity = amountLine ? '1.0000' : line.decimal('quantity', QUANTITY_SCALE);
    const price = amountLine ? (total === undefined ? undefined : canonicalDecimal(total, UNIT_PRICE_SCALE)) : line.decimal('price', UNIT_PRICE_SCALE);
    if (!amountLine) checkLineAmount(problems, line.pathOf('total'), quantity, price, total, tolerance);
    taxAmounts.push(line.has('tax-amount') ? line.decimal('tax-amount', MONEY_SCALE) : '0.0000');

    const account = line.object('account');
    const chart = account?.object('account-type')?.string('name');
    if (account && chart !== undefined) legalEntityHints.push({ path: joinAccountPath(account.path), kind: 'chart-of-accounts', value: chart });
    const receiptRequired = line.boolean('receipt-required', false);
    const itemNumber = line.optionalObject('item')?.optionalString('item-number') ?? line.optionalString('source-part-num') ?? null;
    return {
      lineNumber: lineNumber ?? 0,
      itemCode: itemNumber,
      description: line.string('description') ?? '',
      quantity: quantity ?? '',
      unitOfMeasure: amountLine && !line.has('uom') ? 'C62' : (line.object('uom')?.string('code')?.toUpperCase() ?? ''),
      unitPrice: { amount: price ?? '', currency: currency ?? '' },
      amount: { amount: total ?? '', currency: currency ?? '' },
      taxCode: line.optionalObject('tax-code')?.optionalString('code') ?? null,
      costCenter: { code: account?.string(segments.costCenter) ?? '', name: null },
      glAccount: account?.string(segments.glAccount) ?? null,
      matchType: receiptRequired ? 'THREE_WAY' : 'TWO_WAY',
      needByDate: line.optionalDate('need-by-date') ?? null,
    };
  });

  const lineTotals = lines.map((l) => l.amount.amount);
  const net = lineTotals.every((t) => t !== '') ? sumDecimals(lineTotals, MONEY_SCALE) : undefined;
  if (r.has('total')) checkSum(problems, r.pathOf('total'), r.decimal('total', MONEY_SCALE), 'order-lines[].total', lineTotals.map((t) => (t === '' ? undefined : t)));
  const tax = taxAmounts.every((t) => t !== undefined) ? sumDecimals(taxAmounts as string[], MONEY_SCALE) : undefined;

  const legalEntity = resolveLegalEntity(ctx, problems, legalEntityHints, r.pathOf('order-lines'));
  problems.throwIfAny(subject);

  const money = (amount: string | undefined) => ({ amount: amount ?? '0.0000', currency: currency ?? '' });
  return {
    order: {
      purchaseOrderId: purchaseOrderId ?? '',
      poNumber: poNumber ?? '',
      revision: (version ?? 1) - 1,
      version: version ?? 1,
      supplierId: supplierId ?? '',
      orderDate: orderDate ?? '',
      currency: currency ?? '',
      paymentTerms,
      shipTo,
      lines,
      totals: { net: money(net), tax: money(tax), gross: money(net !== undefined && tax !== undefined ? addDecimals(net, tax, MONEY_SCALE) : undefined) },
      createdBy: r.optionalObject('created-by')?.optionalString('login') ?? null,
      changedBy: r.optionalObject('updated-by')?.optionalString('login') ?? null,
    },
    legalEntity: legalEntity as NonNullable<typeof legalEntity>,
    occurredAt: occurredAt as Date,
  };
}

function joinAccountPath(accountPath: string): string {
  return `${accountPath}.account-type.name`;
}

/** PurchaseOrderIssued payload for a Coupa order (first issue; revision = version - 1). */
export function mapCoupaPurchaseOrderIssued(
  payload: unknown,
  ctx: MappingContext,
  options: CoupaPurchaseOrderOptions = {},
): Mapped<'PurchaseOrderIssued'> {
  const { order, legalEntity, occurredAt } = readOrder(payload, ctx, options);
  return {
    payload: {
      purchaseOrderId: order.purchaseOrderId,
      poNumber: order.poNumber,
      revision: order.revision,
      supplierId: order.supplierId,
      buyer: order.createdBy,
      orderDate: order.orderDate,
      currency: order.currency,
      paymentTerms: order.paymentTerms,
      shipTo: order.shipTo,
      lines: order.lines,
      totals: order.totals,
    },
    legalEntity,
    occurredAt,
  };
}

/** PurchaseOrderChanged payload for a revised Coupa order: the complete new line set. */
export function mapCoupaPurchaseOrderChanged(
  payload: unknown,
  ctx: MappingContext,
  options: CoupaPurchaseOrderChangeOptions = {},
): Mapped<'PurchaseOrderChanged'> {
  const { order, legalEntity, occurredAt } = readOrder(payload, ctx, options);
  return {
    payload: {
      purchaseOrderId: order.purchaseOrderId,
      poNumber: order.poNumber,
      revision: order.revision,
      changeReason: options.changeReason ?? `Revised in Coupa (version ${order.version})`,
      changedBy: order.changedBy,
      paymentTerms: order.paymentTerms,
      shipTo: order.shipTo,
      lines: order.lines,
      totals: order.totals,
    },
    legalEntity,
    occurredAt,
  };
}
