/**
 * Coupa invoice (the AP platform's captured invoice) -> InvoiceReceived payload.
 *
 * Shape: Coupa Core API "Invoices API (/invoices)", "Invoice Line API", "Tax Line API" and
 * "Invoices API Example Calls" (compass.coupa.com, The Coupa Core API > Resources > Transactional
 * Resources > Invoices API; JSON with hyphenated keys, decimals as strings):
 *  - header: `id`, `invoice-number` (string(40)), `invoice-date` (datetime; "provide the date
 *    only"), `document-type` (Invoice, Credit Note), `status`, `exported`, `created-at`,
 *    `updated-at`, `lock-version-key`, `currency: { code }`, `supplier: { id, name, number }`,
 *    `account-type: { name }` (chart of accounts), `payment-term: { code, days-for-net-payment,
 *    days-for-discount-payment, discount-rate }`, `net-due-date` (datetime), `line-level-taxation`,
 *    `tax-amount` / `tax-rate` / `tax-code` (header tax, "not used if tax is provided at line
 *    level"), `gross-total`, `total-with-taxes`, `shipping-amount`, `handling-amount`,
 *    `misc-amount`, `invoice-charges[]`, `image-scan-url`;
 *  - `invoice-lines[]`: `line-num` (integer), `type` (InvoiceQuantityLine, InvoiceAmountLine),
 *    `description`, `quantity`, `price` (decimal(46,20)), `total`, `uom: { code }`,
 *    `item: { item-number }`, `source-part-num`, `account` (segments + `account-type`),
 *    `tax-code: { code }`, `tax-rate`, `tax-amount`, `tax-lines[]` (`amount`, `rate`, `code`,
 *    `tax-code: { code }`, `taxable-amount`), and how a line refers to its PO line:
 *    `order-line-id` (the Coupa PO line id), `order-line-num`, `po-number`, `order-header-num`
 *    (output-only elements; the example shows `order-header-num`, `order-line-id` and
 *    `order-line-num` on a matched line).
 *  Unconfirmed: whether `order-header-num` carries the PO number or the PO id (the example's 7 fits
 *  either); `po-number` is read first and the two must agree when both are sent.
 * Lifecycle (status phases, voids, versions): see ./coupa-invoice-lifecycle.ts.
 *
 * Decided here:
 *  - Invoice key: Coupa's `id` (a correction updates the same id, so versions stay one invoice;
 *    readCoupaInvoiceLifecycle exposes `updated-at` for a capture version).
 *  - Only CAPTURABLE statuses map (submitted, not voided or withdrawn); others are a problem that
 *    names the status.
 *  - Supplier: `supplier.number`, the ERP supplier number (as on Coupa purchase orders).
 *  - Legal entity: the chart of accounts, `account-type.name` on the header and on each line's
 *    account; they must agree.
 *  - PO: the lines' `po-number` (else `order-header-num`); one invoice refers to one PO
 *    (InvoiceReceived has one purchaseOrderId), lines without one are non-PO lines.
 *    poLineNumber is `order-line-num` (a Coupa line number, see ../procurement/coupa-fields.ts).
 *  - GL account and cost center: account segments, configurable as for purchase orders.
 *  - InvoiceAmountLine: quantity 1, unit price = total, unit 'C62' unless a uom is sent.
 *  - Tax: with line-level taxation (the flag, or lines carrying tax), tax lines are the lines'
 *    `tax-lines` (or their `tax-amount`/`tax-rate`/`tax-code`), summed per tax code and rate, the
 *    taxable amount being `taxable-amount` or the line total; otherwise one tax line from the header
 *    `tax-amount`/`tax-rate`/`tax-code` on the net total. A tax charged without a tax code is a
 *    problem (finmesh's tax lines are per code).
 *  - Charges (shipping, handling, misc, `invoice-charges`) are refused when not zero:
 *    InvoiceReceived has no charge lines.
 *  - Credit notes: "Credit Note" with negative figures (Coupa's way) is kept; one printed positive
 *    is negated; mixed signs are a problem; a negative figure on an Invoice is a problem.
 *  - Checks: quantity x price vs total per line (one-cent tolerance); `gross-total` and
 *    `total-with-taxes`, when sent, = net + tax (exact).
 *  - occurredAt: `updated-at` (the version being captured).
 */
import {
  addDecimals,
  decimal,
  MONEY_SCALE,
  negateDecimal,
  QUANTITY_SCALE,
  sumDecimals,
  UNIT_PRICE_SCALE,
  type LineItem,
  type Money,
  type PaymentTerms,
  type TaxLine,
} from '@finmesh/contracts';
import { DEFAULT_LINE_TOLERANCE, checkLineAmount } from '../mapping/amount-checks';
import { describeValue, FieldReader } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { resolveId, resolveLegalEntity, type LegalEntityCandidate } from '../mapping/resolution';
import { coupaDecimal, coupaLineNumber, DEFAULT_COUPA_ACCOUNT_SEGMENTS, optionalCoupaDecimal, optionalCoupaLineNumber, type CoupaAccountSegments } from '../procurement/coupa-fields';
import { COUPA_INVOICE_STATUSES, coupaInvoicePhase } from './coupa-invoice-lifecycle';
import { invoiceTaxLines, type LineTax, type TrackSign } from './coupa-invoice-tax';
import { COUPA_INVOICE_SCHEMA } from '../payload-schemas/coupa-payload-schemas';

type Decimal = string | number;

/** Coupa invoice JSON as finmesh reads it. The mapper takes `unknown` and checks every field. */
export interface CoupaInvoice {
  id: number;
  'invoice-number': string;
  'invoice-date': string;
  'document-type': 'Invoice' | 'Credit Note';
  status: string;
  exported?: boolean;
  'created-at'?: string;
  'updated-at': string;
  'lock-version-key'?: number | null;
  currency: { code: string };
  supplier: { id?: number; name?: string; number: string };
  'account-type'?: { name: string } | null;
  'payment-term'?: { code: string; 'days-for-net-payment': number; 'days-for-discount-payment'?: number | null; 'discount-rate'?: Decimal | null } | null;
  'net-due-date'?: string | null;
  'line-level-taxation'?: boolean | null;
  'tax-amount'?: Decimal | null;
  'tax-rate'?: Decimal | null;
  'tax-code'?: string | { code: string } | null;
  'gross-total'?: Decimal | null;
  'total-with-taxes'?: Decimal | null;
  'shipping-amount'?: Decimal | null;
  'handling-amount'?: Decimal | null;
  'misc-amount'?: Decimal | null;
  'invoice-charges'?: { type?: string; total: Decimal }[] | null;
  'image-scan-url'?: string | null;
  'invoice-lines': CoupaInvoiceLine[];
}

export interface CoupaInvoiceLine {
  id?: number;
  'line-num': number | string;
  type?: 'InvoiceQuantityLine' | 'InvoiceAmountLine';
  description: string;
  quantity?: Decimal | null;
  price?: Decimal | null;
  total: Decimal;
  uom?: { code: string } | null;
  item?: { 'item-number'?: string | null } | null;
  'source-part-num'?: string | null;
  'order-line-id'?: number | null;
  'order-line-num'?: number | string | null;
  'po-number'?: string | null;
  'order-header-num'?: string | number | null;
  account?: { code?: string; 'account-type'?: { name: string } | null; [segment: `segment-${number}`]: string | null | undefined } | null;
  'tax-code'?: { code: string } | null;
  'tax-rate'?: Decimal | null;
  'tax-amount'?: Decimal | null;
  'tax-lines'?: { amount: Decimal; rate?: Decimal | null; code?: string | null; 'tax-code'?: { code: string } | null; 'taxable-amount'?: Decimal | null }[] | null;
}

export interface CapturedInvoiceOptions {
  readonly lineTolerance?: string;
  /** Which account segments carry the GL account and the cost center. */
  readonly accountSegments?: CoupaAccountSegments;
}

const DOCUMENT_TYPES = { Invoice: 'INVOICE', 'Credit Note': 'CREDIT_NOTE' } as const;

/** The keys a caller resolves before mapping (read leniently: the mapper reports what is wrong). */
export interface CoupaInvoiceKeys {
  readonly supplierNumber: string | undefined;
  readonly poNumber: string | undefined;
  readonly chartOfAccounts: string | undefined;
}

export function coupaInvoiceKeys(payload: unknown): CoupaInvoiceKeys {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
  const obj = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const p = obj(payload);
  const lines = Array.isArray(p?.['invoice-lines']) ? (p['invoice-lines'] as unknown[]).map(obj) : [];
  const poNumber = lines.map((l) => text(l?.['po-number']) ?? text(l?.['order-header-num'])).find((n) => n !== undefined);
  return { supplierNumber: text(obj(p?.['supplier'])?.['number']), poNumber, chartOfAccounts: text(obj(p?.['account-type'])?.['name']) };
}

/** InvoiceReceived payload for a Coupa invoice or credit note in a capturable status. */
export function mapCapturedInvoice(payload: unknown, ctx: MappingContext, options: CapturedInvoiceOptions = {}): Mapped<'InvoiceReceived'> {
  const problems = ProblemCollector.forPayload(COUPA_INVOICE_SCHEMA, payload);
  const r = FieldReader.root(payload, problems);
  if (!r) throw new MappingError('Coupa invoice', problems.problems);
  const coupaId = r.string('id');
  const subject = `Coupa invoice ${coupaId ?? '(without id)'}`;
  const segments = options.accountSegments ?? DEFAULT_COUPA_ACCOUNT_SEGMENTS;

  const status = r.string('status');
  const phase = status === undefined ? undefined : coupaInvoicePhase(status);
  if (status !== undefined && phase !== 'CAPTURABLE') {
    const why = phase === 'VOIDED' ? 'a voided invoice is a cancellation, not a capture' : phase ? `a ${phase.toLowerCase().replace('_', ' ')} invoice is not one to match` : 'not a Coupa invoice status';
    r.problem('status', `must be one of ${COUPA_INVOICE_STATUSES.CAPTURABLE.join(', ')} (${why}), got ${describeValue(status)}`);
  }
  const coupaType = r.oneOf('document-type', Object.keys(DOCUMENT_TYPES) as (keyof typeof DOCUMENT_TYPES)[]);
  const documentType = coupaType === undefined ? undefined : DOCUMENT_TYPES[coupaType];
  const invoiceNumber = r.string('invoice-number');
  const invoiceDate = r.date('invoice-date');
  const dueDate = r.optionalDate('net-due-date');
  const occurredAt = r.timestamp('updated-at');
  const currency = r.object('currency')?.currency('code');
  const supplier = r.object('supplier');
  const supplierId = supplier ? resolveId(ctx, supplier, 'number', 'supplier', supplier.string('number'), 'AP_AUTOMATION') : undefined;
  const invoiceId = resolveId(ctx, r, 'id', 'invoice', coupaId, 'AP_AUTOMATION');

  const hints: LegalEntityCandidate[] = [];
  const headerChart = r.optionalObject('account-type');
  const headerChartName = headerChart?.string('name');
  if (headerChart && headerChartName !== undefined) hints.push({ path: headerChart.pathOf('name'), kind: 'chart-of-accounts', value: headerChartName });

  const termsReader = r.optionalObject('payment-term');
  let paymentTerms: PaymentTerms | null = null;
  if (termsReader) {
    const discountPercent = termsReader.optionalDecimal('discount-rate', 4) ?? null;
    paymentTerms = {
      code: termsReader.string('code') ?? '',
      netDays: termsReader.integer('days-for-net-payment', { min: 0 }) ?? 0,
      discountPercent,
      discountDays: discountPercent === null ? null : (termsReader.integer('days-for-discount-payment', { min: 0 }) ?? null),
    };
  }

  for (const key of ['shipping-amount', 'handling-amount', 'misc-amount']) {
    const charge = optionalCoupaDecimal(r, key, MONEY_SCALE);
    if (charge && !decimal(charge).isZero()) r.problem(key, `is ${charge}: charges are not supported (InvoiceReceived has no charge lines)`);
  }
  for (const c of r.array('invoice-charges')) {
    const total = optionalCoupaDecimal(c, 'total', MONEY_SCALE);
    if (total && !decimal(total).isZero()) c.problem('total', `is ${total}: charges are not supported (InvoiceReceived has no charge lines)`);
  }

  // Figures as printed first; the credit-note sign is applied once everything is known.
  const signs: { path: string; negative: boolean }[] = [];
  const track: TrackSign = (reader, key, v) => {
    if (v !== undefined && v !== null && !decimal(v).isZero()) signs.push({ path: reader.pathOf(key), negative: decimal(v).isNegative() });
    return v ?? undefined;
  };

  const tolerance = options.lineTolerance ?? DEFAULT_LINE_TOLERANCE;
  let po: { value: string; path: string } | undefined;
  const lineTaxes: LineTax[] = [];
  const seenLineNumbers = new Map<number, string>();
  const lines = r.array('invoice-lines', { minItems: 1 }).map((l) => {
    const lineNumber = coupaLineNumber(l, 'line-num');
    if (lineNumber !== undefined) {
      const previous = seenLineNumbers.get(lineNumber);
      if (previous) l.problem('line-num', `duplicates ${previous}.line-num (${lineNumber})`);
      else seenLineNumbers.set(lineNumber, l.path);
    }
    const amountLine = l.has('type') && l.oneOf('type', ['InvoiceQuantityLine', 'InvoiceAmountLine']) === 'InvoiceAmountLine';
    const total = track(l, 'total', coupaDecimal(l, 'total', MONEY_SCALE));
    const quantity = amountLine ? (total === undefined ? undefined : decimal(total).isNegative() ? '-1.0000' : '1.0000') : track(l, 'quantity', coupaDecimal(l, 'quantity', QUANTITY_SCALE));
    const unitPrice = amountLine ? (total === undefined ? undefined : decimal(total).abs().toFixed(UNIT_PRICE_SCALE)) : coupaDecimal(l, 'price', UNIT_PRICE_SCALE);
    if (!amountLine) checkLineAmount(problems, l.pathOf('total'), quantity, unitPrice, total, tolerance);

    const linePo = readLinePo(l);
    if (linePo) {
      if (po && po.value !== linePo.value) problems.add(linePo.path, `is ${linePo.value} but ${po.path} is ${po.value}; one invoice refers to one purchase order`);
      po ??= linePo;
    }
    const poLineNumber = optionalCoupaLineNumber(l, 'order-line-num');
    if (!linePo && poLineNumber) l.problem('order-line-num', `refers to PO line ${poLineNumber} but the line names no PO (po-number or order-header-num)`);

    const account = l.optionalObject('account');
    const accountType = account?.optionalObject('account-type');
    const chart = accountType?.string('name');
    if (accountType && chart !== undefined) hints.push({ path: accountType.pathOf('name'), kind: 'chart-of-accounts', value: chart });
    const costCenter = account ? account.optionalString(segments.costCenter) : null;
    const taxCode = l.optionalObject('tax-code')?.optionalString('code') ?? null;
    lineTaxes.push({ reader: l, total, taxCode });
    return {
      lineNumber,
      itemCode: l.optionalObject('item')?.optionalString('item-number') ?? l.optionalString('source-part-num') ?? null,
      description: l.string('description'),
      quantity,
      unitOfMeasure: amountLine && !l.has('uom') ? 'C62' : l.object('uom')?.string('code')?.toUpperCase(),
      unitPrice,
      total,
      taxCode,
      costCenter: costCenter ? { code: costCenter, name: null } : null,
      glAccount: account ? (account.optionalString(segments.glAccount) ?? null) : null,
      poLineNumber: poLineNumber ?? null,
    };
  });
  const purchaseOrderId = po ? ctx.ids({ kind: 'purchase-order', key: po.value, source: 'AP_AUTOMATION' }) : null;
  if (po && purchaseOrderId === undefined) problems.add(po.path, `no finmesh purchase-order is known for ${JSON.stringify(po.value)}`);

  const lineTotals = lines.map((l) => l.total);
  const net = lineTotals.every((t) => t !== undefined) ? sumDecimals(lineTotals as string[], MONEY_SCALE) : undefined;
  const taxLines = invoiceTaxLines(r, lineTaxes, net, problems, track);
  const tax = taxLines.every((t) => t.amount !== undefined) ? sumDecimals(taxLines.map((t) => t.amount as string), MONEY_SCALE) : undefined;
  const gross = net !== undefined && tax !== undefined ? addDecimals(net, tax, MONEY_SCALE) : undefined;
  for (const key of ['gross-total', 'total-with-taxes']) {
    const printed = track(r, key, optionalCoupaDecimal(r, key, MONEY_SCALE));
    if (printed !== undefined && gross !== undefined && printed !== gross) r.problem(key, `is ${printed} but net ${net} + tax ${tax} = ${gross}`);
  }

  const anyNegative = signs.find((s) => s.negative);
  const anyPositive = signs.find((s) => !s.negative);
  let negate = false;
  if (documentType === 'INVOICE' && anyNegative) {
    problems.add(anyNegative.path, 'is negative on an Invoice; credits must have document-type "Credit Note"');
  } else if (documentType === 'CREDIT_NOTE') {
    if (anyNegative && anyPositive) problems.add(anyNegative.path, `is negative but ${anyPositive.path} is positive; a credit note has one sign`);
    negate = !anyNegative;
  }

  const legalEntity = resolveLegalEntity(ctx, problems, hints, 'account-type');
  const documentUri = r.optionalString('image-scan-url');
  problems.throwIfAny(subject);

  const sign = (v: string | undefined, scale = MONEY_SCALE): string => (negate ? negateDecimal(v ?? '0', scale) : (v ?? ''));
  const money = (v: string | undefined): Money => ({ amount: sign(v), currency: currency ?? '' });
  const mappedLines: LineItem[] = lines.map((l) => ({
    lineNumber: l.lineNumber ?? 0,
    itemCode: l.itemCode ?? null,
    description: l.description ?? '',
    // The quantity carries the credit (returned goods) with the amount's sign; the unit price stays positive.
    quantity: withSignOf(sign(l.quantity, QUANTITY_SCALE), sign(l.total)),
    unitOfMeasure: l.unitOfMeasure ?? '',
    unitPrice: { amount: l.unitPrice ? decimal(l.unitPrice).abs().toFixed(UNIT_PRICE_SCALE) : '', currency: currency ?? '' },
    amount: money(l.total),
    taxCode: l.taxCode,
    costCenter: l.costCenter,
    glAccount: l.glAccount,
    poLineNumber: l.poLineNumber,
  }));
  const mappedTaxLines: TaxLine[] = taxLines.map((t) => ({
    taxCode: t.taxCode,
    rate: t.rate ?? '',
    taxableAmount: money(t.taxableAmount),
    amount: money(t.amount),
  }));

  return {
    payload: {
      invoiceId: invoiceId ?? '',
      supplierId: supplierId ?? '',
      supplierInvoiceNumber: invoiceNumber ?? '',
      documentType: documentType ?? 'INVOICE',
      invoiceDate: invoiceDate ?? '',
      dueDate: dueDate ?? null,
      purchaseOrderId: purchaseOrderId ?? null,
      currency: currency ?? '',
      paymentTerms,
      lines: mappedLines,
      taxLines: mappedTaxLines,
      totals: { net: money(net), tax: money(tax), gross: money(gross) },
      documentUri: documentUri ?? null,
    },
    legalEntity: legalEntity as NonNullable<typeof legalEntity>,
    occurredAt: occurredAt as Date,
  };
}

/** The same mapper under the platform's name. */
export const mapCoupaInvoice = mapCapturedInvoice;

/** `quantity` with the sign of `amount` (Coupa may write a credit as a negative price instead). */
function withSignOf(quantity: string, amount: string): string {
  if (quantity === '' || amount === '' || decimal(amount).isZero()) return quantity;
  const q = decimal(quantity).abs();
  return (decimal(amount).isNegative() ? q.neg() : q).toFixed(QUANTITY_SCALE);
}

/** PO number a line refers to: `po-number`, else `order-header-num`; both must agree when sent. */
function readLinePo(l: FieldReader): { value: string; path: string } | undefined {
  const poNumber = l.optionalString('po-number');
  const headerNum = l.optionalString('order-header-num');
  if (poNumber && headerNum && poNumber !== headerNum) l.problem('order-header-num', `is ${headerNum} but po-number is ${poNumber}`);
  if (poNumber) return { value: poNumber, path: l.pathOf('po-number') };
  if (headerNum) return { value: headerNum, path: l.pathOf('order-header-num') };
  return undefined;
}
