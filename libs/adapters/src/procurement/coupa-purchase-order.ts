/**
 * Coupa purchase order -> PurchaseOrderIssued / PurchaseOrderChanged payloads.
 *
 * Shape: Coupa Core API, "Purchase Orders API (/purchase_orders)" and "Purchase Order Lines API"
 * (compass.coupa.com, The Coupa Core API > Resources > Transactional Resources; JSON with
 * hyphenated keys, decimals as strings): header `id`, `po-number`, `version`, `internal-revision`,
 * `change-type` (change, revision, confirmation), `status`, `exported`, `created-at`, `updated-at`,
 * `currency: { code }`, `supplier: { id, name, number }`, `payment-term: { code,
 * days-for-net-payment, days-for-discount-payment, discount-rate }`, `ship-to-address: { street1,
 * street2, city, state, postal-code, country: { code } }`, `created-by` / `updated-by: { login }`,
 * `total`; `order-lines[]` with `line-num` (string(255)), `status` (the line's own), `match-type`,
 * `type` (OrderQuantityLine / OrderAmountLine), `description`, `quantity`, `price`, `total`,
 * `invoiced`, `received`, `uom: { code }`, `item: { item-number }` / `source-part-num`,
 * `need-by-date`, `receipt-required`, `account: { code, account-type: { name }, segment-1..n }`.
 * Statuses and match types: see ./coupa-purchase-order-status.ts; closure: see
 * ./coupa-purchase-order-closure.ts. Line numbers and decimals: see ./coupa-fields.ts.
 * Unconfirmed: `tax-amount` and `tax-code: { code }` on order lines (the Purchase Order Lines API
 * lists `order_line_tax_detail`, not these); read when present, as before.
 *
 * Revision (decided here, from the docs): `version` is the "PO Supplier Version Number", increased
 * only when a change is resent to the supplier; `internal-revision` "increases each time a change
 * is made to a PO whether that change is internal or causes the PO to be resent to the supplier"
 * (Purchase Orders API elements; the API notes add that `updated-at` always moves on a change).
 * The canonical revision IS `internal-revision`: it grows on every edit, internal ones included,
 * so po-sync's decideRevision (same revision + same content = re-send, higher revision = change,
 * lower = stale) holds as it is. Coupa's count does not start at 0, so the first revision finmesh
 * sees is whatever Coupa's is (po-sync issues an unknown order at any revision). A payload
 * without `internal-revision` (e.g. cut by a `fields=` filter) is refused: `version` alone would
 * refuse internal edits, and `updated-at` is a time, not a counter.
 *
 * Simplified / decided here:
 *  - Coupa has no legal entity. Each line's chart of accounts (`account.account-type.name`) is the
 *    hint given to the caller's LegalEntityLookup (Coupa charts of accounts are usually set up per
 *    legal entity); all lines must resolve to the same one. The ship-to country is not used: a
 *    country is not a company code, and one country often hosts several legal entities.
 *  - GL account and cost center come from account segments; which segment is which is
 *    configuration (`accountSegments`, default segment-2 = GL account, segment-3 = cost center).
 *  - Split accounting (`account-allocations`) is not supported: a line must have one `account`.
 *  - orderDate is the date part of `created-at` as Coupa wrote it (the buyer's local date).
 *  - OrderAmountLine (services bought by amount): quantity 1, unit price = total, unit 'C62'.
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
  type MatchType,
  type PaymentTerms,
  type PurchaseOrderLine,
} from '@finmesh/contracts';
import { DEFAULT_LINE_TOLERANCE, checkLineAmount, checkSum } from '../mapping/amount-checks';
import { FieldReader } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { resolveId, resolveLegalEntity, type LegalEntityCandidate } from '../mapping/resolution';
import { coupaDecimal, coupaLineNumber, DEFAULT_COUPA_ACCOUNT_SEGMENTS, type CoupaAccountSegments } from './coupa-fields';
import {
  COUPA_CLOSED_ORDER_STATUSES,
  COUPA_MATCH_TYPES,
  COUPA_NOT_ISSUED_ORDER_STATUSES,
  COUPA_OPEN_ORDER_STATUSES,
  coupaMatchType,
  coupaOrderPhase,
} from './coupa-purchase-order-status';
import { COUPA_PURCHASE_ORDER_SCHEMA } from '../payload-schemas/coupa-payload-schemas';

/** Coupa PO JSON as documented (only the fields finmesh reads). Mappers take `unknown` and check it. */
export interface CoupaPurchaseOrder {
  id: number;
  'po-number': string;
  version: number;
  'internal-revision': number;
  'change-type'?: 'change' | 'revision' | 'confirmation' | null;
  status: string;
  exported?: boolean;
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
  id?: number;
  'line-num': string | number;
  status?: string | null;
  'match-type'?: (typeof COUPA_MATCH_TYPES)[number] | null;
  type?: 'OrderQuantityLine' | 'OrderAmountLine';
  description: string;
  quantity?: string | number | null;
  price?: string | number | null;
  total: string | number;
  invoiced?: string | number | null;
  received?: string | number | null;
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
  readonly accountSegments?: CoupaAccountSegments;
  /** Tolerance for quantity x price vs line total, decimal(19,4) string; default one cent. */
  readonly lineTolerance?: string;
}

export interface CoupaPurchaseOrderChangeOptions extends CoupaPurchaseOrderOptions {
  /** Why the order changed, when the caller knows (Coupa's change request justification). */
  readonly changeReason?: string;
}

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
  changeType: string | null;
}

/** The revision finmesh gives a Coupa order: its `internal-revision` (see the header). */
export function coupaOrderRevision(r: FieldReader): number | undefined {
  if (!r.has('internal-revision')) {
    r.problem('internal-revision', 'is required: it is the revision finmesh tracks (version counts supplier-facing versions only); do not cut it with fields=');
    return undefined;
  }
  return r.integer('internal-revision', { min: 0 });
}

function checkOpenStatus(r: FieldReader): void {
  const status = r.string('status');
  if (status === undefined) return;
  const phase = coupaOrderPhase(status);
  if (phase === 'OPEN') return;
  if (phase === 'CLOSED') r.problem('status', `is ${JSON.stringify(status)}: a ${status} order is not issued or changed; map its closure with mapCoupaPurchaseOrderClosure`);
  else if (phase === 'NOT_ISSUED') r.problem('status', `must be one of ${COUPA_OPEN_ORDER_STATUSES.join(', ')} for an issued order, got ${JSON.stringify(status)}`);
  else r.problem('status', `must be a Coupa PO status (${[...COUPA_OPEN_ORDER_STATUSES, ...COUPA_CLOSED_ORDER_STATUSES, ...COUPA_NOT_ISSUED_ORDER_STATUSES].join(', ')}), got ${JSON.stringify(status)}`);
}

function lineMatchType(line: FieldReader): MatchType | undefined {
  if (line.has('match-type')) {
    const matchType = line.oneOf('match-type', COUPA_MATCH_TYPES);
    return matchType === undefined ? undefined : coupaMatchType(matchType);
  }
  const receiptRequired = line.boolean('receipt-required', false);
  return receiptRequired === undefined ? undefined : receiptRequired ? 'THREE_WAY' : 'TWO_WAY';
}

function readOrder(
  payload: unknown,
  ctx: MappingContext,
  options: CoupaPurchaseOrderOptions,
): { order: CoupaOrderCommon; legalEntity: Mapped<'PurchaseOrderIssued'>['legalEntity']; occurredAt: Date } {
  const problems = ProblemCollector.forPayload(COUPA_PURCHASE_ORDER_SCHEMA, payload);
  const r = FieldReader.root(payload, problems);
  const segments = options.accountSegments ?? DEFAULT_COUPA_ACCOUNT_SEGMENTS;
  const tolerance = options.lineTolerance ?? DEFAULT_LINE_TOLERANCE;
  const subject = `Coupa purchase order ${r && typeof r.raw('po-number') === 'string' ? String(r.raw('po-number')) : '(without po-number)'}`;
  if (!r) throw new MappingError(subject, problems.problems);

  const poNumber = r.string('po-number');
  const version = r.integer('version', { min: 1 });
  const revision = coupaOrderRevision(r);
  checkOpenStatus(r);
  const orderDate = r.date('created-at');
  const occurredAt = r.timestamp('updated-at');
  const currency = r.object('currency')?.currency('code');
  const supplier = r.object('supplier');
  const supplierId = supplier ? resolveId(ctx, supplier, 'number', 'supplier', supplier.string('number'), 'PROCUREMENT') : undefined;
  const purchaseOrderId = resolveId(ctx, r, 'po-number', 'purchase-order', poNumber, 'PROCUREMENT');
  const changeType = r.optionalString('change-type') ?? null;

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
    const lineNumber = coupaLineNumber(line, 'line-num');
    if (lineNumber !== undefined) {
      const previous = seenLineNumbers.get(lineNumber);
      if (previous) line.problem('line-num', `duplicates ${previous}.line-num (${lineNumber})`);
      else seenLineNumbers.set(lineNumber, line.path);
    }
    const amountLine = line.has('type') && line.oneOf('type', ['OrderQuantityLine', 'OrderAmountLine']) === 'OrderAmountLine';
    const total = coupaDecimal(line, 'total', MONEY_SCALE);
    const quantity = amountLine ? '1.0000' : coupaDecimal(line, 'quantity', QUANTITY_SCALE);
    const price = amountLine ? (total === undefined ? undefined : canonicalDecimal(total, UNIT_PRICE_SCALE)) : coupaDecimal(line, 'price', UNIT_PRICE_SCALE);
    if (!amountLine) checkLineAmount(problems, line.pathOf('total'), quantity, price, total, tolerance);
    taxAmounts.push(line.has('tax-amount') ? coupaDecimal(line, 'tax-amount', MONEY_SCALE) : '0.0000');

    const account = line.object('account');
    const chart = account?.object('account-type')?.string('name');
    if (account && chart !== undefined) legalEntityHints.push({ path: joinAccountPath(account.path), kind: 'chart-of-accounts', value: chart });
    const matchType = lineMatchType(line);
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
      matchType: matchType ?? 'THREE_WAY',
      needByDate: line.optionalDate('need-by-date') ?? null,
    };
  });

  const lineTotals = lines.map((l) => l.amount.amount);
  const net = lineTotals.every((t) => t !== '') ? sumDecimals(lineTotals, MONEY_SCALE) : undefined;
  if (r.has('total')) checkSum(problems, r.pathOf('total'), coupaDecimal(r, 'total', MONEY_SCALE), 'order-lines[].total', lineTotals.map((t) => (t === '' ? undefined : t)));
  const tax = taxAmounts.every((t) => t !== undefined) ? sumDecimals(taxAmounts as string[], MONEY_SCALE) : undefined;

  const legalEntity = resolveLegalEntity(ctx, problems, legalEntityHints, r.pathOf('order-lines'));
  problems.throwIfAny(subject);

  const money = (amount: string | undefined) => ({ amount: amount ?? '0.0000', currency: currency ?? '' });
  return {
    order: {
      purchaseOrderId: purchaseOrderId ?? '',
      poNumber: poNumber ?? '',
      revision: revision ?? 0,
      version: version ?? 1,
      changeType,
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

/** PurchaseOrderIssued payload for a Coupa order (first time finmesh sees it; revision = internal-revision). */
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
  const how = order.changeType ? `, ${order.changeType}` : '';
  return {
    payload: {
      purchaseOrderId: order.purchaseOrderId,
      poNumber: order.poNumber,
      revision: order.revision,
      changeReason: options.changeReason ?? `Revised in Coupa (version ${order.version}, internal revision ${order.revision}${how})`,
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
