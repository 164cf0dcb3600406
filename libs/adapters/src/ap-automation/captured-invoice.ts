/**
 * AP automation capture result -> InvoiceReceived payload.
 *
 * Shape: there is no single public standard for AP capture exports; this follows the typical
 * document-capture JSON of AP automation platforms (header + lines after OCR and validation):
 * `documentId`, `capturedAt`, `documentUrl`, `header: { documentType, invoiceNumber, invoiceDate,
 * dueDate, currency, supplier: { id, taxId, name }, buyer: { companyCode }, purchaseOrderNumber,
 * paymentTerms: { code, netDays, discountPercent, discountDays }, totals: { net, tax, gross },
 * taxLines: [{ taxCode, rate, taxableAmount, taxAmount }] }`, `lines: [{ lineNumber, itemCode,
 * description, quantity, unitOfMeasure, unitPrice, netAmount, taxCode, poLineNumber, glAccount,
 * costCenter }]`.
 *
 * Decided here:
 *  - `supplier.id` is the vendor id the capture platform matched, which is the ERP supplier
 *    number (capture platforms sync the vendor master from the ERP).
 *  - Legal entity: the buyer's company code the platform recognised (`header.buyer.companyCode`).
 *  - documentType INVOICE / CREDIT_NOTE. Credit notes carry negative amounts in finmesh; capture
 *    platforms print them positive, so a credit note with positive figures is negated, and one
 *    that is already negative is kept. Mixed signs are a problem.
 *  - Checks: quantity x unitPrice vs netAmount per line (one-cent tolerance); sum of line net
 *    amounts = totals.net; sum of tax line amounts = totals.tax; net + tax = gross (exact).
 */
import {
  addDecimals,
  decimal,
  MONEY_SCALE,
  negateDecimal,
  PERCENT_SCALE,
  QUANTITY_SCALE,
  UNIT_PRICE_SCALE,
  type LineItem,
  type Money,
  type PaymentTerms,
  type TaxLine,
} from '@finmesh/contracts';
import { DEFAULT_LINE_TOLERANCE, checkLineAmount, checkSum } from '../mapping/amount-checks';
import { FieldReader } from '../mapping/field-reader';
import type { Mapped, MappingContext } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';
import { resolveId, resolveLegalEntity } from '../mapping/resolution';

type Decimal = string | number;

/** Capture payload as finmesh reads it. The mapper takes `unknown` and checks every field. */
export interface CapturedInvoice {
  documentId: string;
  capturedAt: string;
  documentUrl?: string | null;
  header: {
    documentType: 'INVOICE' | 'CREDIT_NOTE';
    invoiceNumber: string;
    invoiceDate: string;
    dueDate?: string | null;
    currency: string;
    supplier: { id: string; taxId?: string | null; name?: string | null };
    buyer: { companyCode: string };
    purchaseOrderNumber?: string | null;
    paymentTerms?: { code: string; netDays: number; discountPercent?: Decimal | null; discountDays?: number | null } | null;
    totals: { net: Decimal; tax: Decimal; gross: Decimal };
    taxLines: { taxCode: string; rate: Decimal; taxableAmount: Decimal; taxAmount: Decimal }[];
  };
  lines: {
    lineNumber: number;
    itemCode?: string | null;
    description: string;
    quantity: Decimal;
    unitOfMeasure: string;
    unitPrice: Decimal;
    netAmount: Decimal;
    taxCode?: string | null;
    poLineNumber?: number | null;
    glAccount?: string | null;
    costCenter?: string | null;
  }[];
}

export interface CapturedInvoiceOptions {
  readonly lineTolerance?: string;
}

/** InvoiceReceived payload for a captured and validated supplier invoice or credit note. */
export function mapCapturedInvoice(payload: unknown, ctx: MappingContext, options: CapturedInvoiceOptions = {}): Mapped<'InvoiceReceived'> {
  const problems = new ProblemCollector();
  const r = FieldReader.root(payload, problems);
  if (!r) throw new MappingError('Captured invoice', problems.problems);
  const documentId = r.string('documentId');
  const subject = `Captured invoice ${documentId ?? '(without documentId)'}`;
  const capturedAt = r.timestamp('capturedAt');
  const h = r.object('header');

  const documentType = h?.oneOf('documentType', ['INVOICE', 'CREDIT_NOTE'] as const);
  const invoiceNumber = h?.string('invoiceNumber');
  const invoiceDate = h?.date('invoiceDate');
  const dueDate = h?.optionalDate('dueDate');
  const currency = h?.currency('currency');
  const supplier = h?.object('supplier');
  const supplierId = supplier ? resolveId(ctx, supplier, 'id', 'supplier', supplier.string('id'), 'AP_AUTOMATION') : undefined;
  const invoiceId = resolveId(ctx, r, 'documentId', 'invoice', documentId, 'AP_AUTOMATION');
  const poNumber = h?.optionalString('purchaseOrderNumber');
  const purchaseOrderId = h && poNumber ? resolveId(ctx, h, 'purchaseOrderNumber', 'purchase-order', poNumber, 'AP_AUTOMATION') : null;
  const companyCode = h?.object('buyer')?.string('companyCode');
  const legalEntity = resolveLegalEntity(ctx, problems, companyCode === undefined ? [] : [{ path: 'header.buyer.companyCode', kind: 'company-code', value: companyCode }], 'header.buyer');

  const termsReader = h?.optionalObject('paymentTerms');
  let paymentTerms: PaymentTerms | null = null;
  if (termsReader) {
    const discountPercent = termsReader.optionalDecimal('discountPercent', 4) ?? null;
    paymentTerms = {
      code: termsReader.string('code') ?? '',
      netDays: termsReader.integer('netDays', { min: 0 }) ?? 0,
      discountPercent,
      discountDays: discountPercent === null ? null : (termsReader.integer('discountDays', { min: 0 }) ?? null),
    };
  }

  // Read the figures as printed first; the credit-note sign is applied once everything is known.
  const signs: { path: string; negative: boolean }[] = [];
  const amount = (reader: FieldReader | undefined, key: string): string | undefined => {
    const v = reader?.decimal(key, MONEY_SCALE);
    if (reader && v !== undefined && !/^-?0\.0+$/.test(v)) signs.push({ path: reader.pathOf(key), negative: decimal(v).isNegative() });
    return v;
  };
  const totalsReader = h?.object('totals');
  const net = amount(totalsReader, 'net');
  const tax = amount(totalsReader, 'tax');
  const gross = amount(totalsReader, 'gross');

  const taxLines = (h?.array('taxLines') ?? []).map((t) => ({
    taxCode: t.string('taxCode'),
    rate: t.decimal('rate', PERCENT_SCALE),
    taxableAmount: amount(t, 'taxableAmount'),
    amount: amount(t, 'taxAmount'),
  }));

  const tolerance = options.lineTolerance ?? DEFAULT_LINE_TOLERANCE;
  const lines = r.array('lines', { minItems: 1 }).map((l) => {
    const quantity = l.decimal('quantity', QUANTITY_SCALE);
    const unitPrice = l.decimal('unitPrice', UNIT_PRICE_SCALE);
    const netAmount = amount(l, 'netAmount');
    checkLineAmount(problems, l.pathOf('netAmount'), quantity, unitPrice, netAmount, tolerance);
    const costCenter = l.optionalString('costCenter');
    return {
      lineNumber: l.integer('lineNumber', { min: 1 }),
      itemCode: l.optionalString('itemCode'),
      description: l.string('description'),
      quantity,
      unitOfMeasure: l.string('unitOfMeasure')?.toUpperCase(),
      unitPrice,
      netAmount,
      taxCode: l.optionalString('taxCode'),
      costCenter: costCenter ? { code: costCenter, name: null } : null,
      glAccount: l.optionalString('glAccount'),
      poLineNumber: l.optionalInteger('poLineNumber', { min: 1 }),
    };
  });

  if (totalsReader) {
    checkSum(problems, totalsReader.pathOf('net'), net, 'lines[].netAmount', lines.map((l) => l.netAmount));
    checkSum(problems, totalsReader.pathOf('tax'), tax, 'header.taxLines[].taxAmount', taxLines.map((t) => t.amount));
    if (net !== undefined && tax !== undefined && gross !== undefined && addDecimals(net, tax, MONEY_SCALE) !== gross) {
      problems.add(totalsReader.pathOf('gross'), `is ${gross} but net ${net} + tax ${tax} = ${addDecimals(net, tax, MONEY_SCALE)}`);
    }
  }

  // Sign convention: invoices positive; credit notes negative in finmesh, printed either way.
  const anyNegative = signs.find((s) => s.negative);
  const anyPositive = signs.find((s) => !s.negative);
  let negate = false;
  if (documentType === 'INVOICE' && anyNegative) {
    problems.add(anyNegative.path, 'is negative on an INVOICE; credit notes must have documentType CREDIT_NOTE');
  } else if (documentType === 'CREDIT_NOTE') {
    if (anyNegative && anyPositive) problems.add(anyNegative.path, `is negative but ${anyPositive.path} is positive; a credit note has one sign`);
    negate = !anyNegative;
  }

  const documentUri = r.optionalString('documentUrl');
  problems.throwIfAny(subject);

  const sign = (v: string | undefined, scale = MONEY_SCALE): string => (negate ? negateDecimal(v ?? '0', scale) : (v ?? ''));
  const money = (v: string | undefined): Money => ({ amount: sign(v), currency: currency ?? '' });
  const mappedLines: LineItem[] = lines.map((l) => ({
    lineNumber: l.lineNumber ?? 0,
    itemCode: l.itemCode ?? null,
    description: l.description ?? '',
    // The quantity carries the credit (returned goods); the unit price stays positive.
    quantity: sign(l.quantity, QUANTITY_SCALE),
    unitOfMeasure: l.unitOfMeasure ?? '',
    unitPrice: { amount: l.unitPrice ?? '', currency: currency ?? '' },
    amount: money(l.netAmount),
    taxCode: l.taxCode ?? null,
    costCenter: l.costCenter,
    glAccount: l.glAccount ?? null,
    poLineNumber: l.poLineNumber ?? null,
  }));
  const mappedTaxLines: TaxLine[] = taxLines.map((t) => ({
    taxCode: t.taxCode ?? '',
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
    occurredAt: capturedAt as Date,
  };
}
