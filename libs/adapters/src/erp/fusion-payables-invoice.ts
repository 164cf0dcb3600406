/**
 * Canonical approved invoice -> Oracle Fusion Payables invoice POST body; the POST response ->
 * InvoicePosted fields; error responses -> business or transient failure.
 *
 * Sources (Oracle Fusion Cloud Financials, "REST API for Oracle Fusion Cloud Financials", Payables
 * Invoices, `POST /fscmRestApi/resources/11.13.18.05/invoices`):
 *  - "Create an Invoice with a PO-Matched Line and Freight Line": header InvoiceNumber,
 *    InvoiceCurrency, InvoiceAmount, InvoiceDate, BusinessUnit, Supplier, SupplierSite,
 *    InvoiceGroup, Description; invoiceLines[] with LineNumber, LineType, Quantity, UnitPrice,
 *    LineAmount, PurchaseOrderNumber, PurchaseOrderLineNumber, PurchaseOrderScheduleLineNumber and
 *    no invoiceDistributions on the PO-matched line (it takes the PO distribution). Every value in
 *    that example is a JSON string ("InvoiceAmount": "130.80", "LineNumber": "1").
 *    https://docs.oracle.com/en/cloud/saas/financials/23d/farfa/Create_an_Invoice_with_a_PO_Matched_Line_and_Freight_Line.html
 *  - "REST API Attributes" (Payables Invoices): which header attributes support POST (Supplier,
 *    InvoiceNumber, InvoiceCurrency, InvoiceAmount, SupplierSite, InvoiceDate, InvoiceType,
 *    Description, PaymentTerms, TermsDate, PurchaseOrderNumber, DocumentSequence, BusinessUnit,
 *    AccountingDate; ValidationStatus, CanceledDate, CanceledBy are read-only).
 *    https://docs.oracle.com/en/cloud/saas/financials/24c/farfa/REST_API_Attributes_Payables_Invoices.html
 *  - invoiceLines / invoiceDistributions children (DistributionLineNumber, DistributionLineType,
 *    DistributionAmount, DistributionCombination): "Invoice Lines REST Endpoints", "Invoice
 *    Distributions REST Endpoints".
 *    https://docs.oracle.com/en/cloud/saas/financials/23d/farfa/api-invoices-invoice-lines.html
 *  - Response: the created invoice (InvoiceId, InvoiceNumber, InvoiceAmount as a number,
 *    AccountingDate, ValidationStatus …), same example page. Errors: ADF REST error payload
 *    (`title`, `status`, `o:errorDetails[{ detail, o:errorCode }]`) or plain text, depending on the
 *    REST-Framework-Version.
 *
 * Unconfirmed (no Oracle page showed the attribute): the line tax attribute `TaxClassification`.
 * The invoiceLines attribute table could not be read; `TaxClassification` is what a public
 * Fusion Payables integration sends on invoiceLines, and `TaxClassificationCode` (sent before) is
 * the Receivables invoice-line name (receivablesInvoiceLines examples), so it was changed.
 * `SupplierNumber` on the header appears in Oracle's invoice responses (e.g. "Find Invoices that are
 * Canceled"); that it is accepted on POST is not confirmed.
 *
 * Decided here:
 *  - Amounts, quantities and unit prices go as JSON strings, as Oracle's example sends them, with
 *    the exact digits (no float, no rounding): trailing zeros trimmed, amounts keeping two decimals
 *    ("1210.00", "100.25"), quantities and unit prices none ("1000", "0.125"). Line numbers, PO line and schedule
 *    numbers go as JSON numbers (their attribute type; the example quotes them, Fusion reads both).
 *  - A line with a poLineNumber on an invoice whose PO exists in the ERP (`poNumber` given and
 *    `purchaseOrderInErp` not false) is PO-matched: PurchaseOrderNumber, PurchaseOrderLineNumber,
 *    PurchaseOrderScheduleLineNumber (schedule from `poScheduleNumber`, default 1: finmesh creates
 *    one schedule per PO line) and no distribution. Every other line carries one distribution:
 *    from its own GL account/cost center (`distributionCombination`), else from the PO line's
 *    accounting when the caller provides it (`poLineAccounting`), else a mapping error naming the
 *    line.
 *  - Supplier site: per invoice from the caller (`supplierSite`, the supplier's pay site); the
 *    configured `defaultSupplierSite` is only a fallback when the caller has none; without either a
 *    mapping error.
 *  - Tax is left to Fusion tax calculation: item lines carry TaxClassification; no tax lines are
 *    sent. InvoiceAmount is the gross amount, which Fusion validates against.
 *  - Credit notes go as InvoiceType "Credit memo" with negative amounts (Fusion's convention).
 *  - fiscalPeriod: the POST response has no period name; it is left null.
 *  - Error classification is by HTTP status and known message texts / AP- codes; unknown 4xx
 *    are BUSINESS (resending the same document will not help), 5xx/timeouts/network TRANSIENT.
 */
import { MONEY_SCALE, type CostCenterRef, type LegalEntityRef, type LineItem } from '@finmesh/contracts';
import { FieldReader, isPlainObject } from '../mapping/field-reader';
import type { EventPayload } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';

/** The canonical invoice as approved for posting (the InvoiceReceived payload). */
export type ApprovedInvoice = EventPayload<'InvoiceReceived'>;

/** Accounting of a PO line, for an invoice line that has none of its own. */
export interface PurchaseOrderLineAccounting {
  readonly costCenter: CostCenterRef | null;
  readonly glAccount: string | null;
}

export interface FusionInvoicePostingTarget {
  /** Fusion business unit name for the legal entity. */
  readonly businessUnit: string;
  /** Supplier name and number as registered in Fusion. */
  readonly supplier: string;
  readonly supplierNumber: string;
  /** The supplier's pay site this invoice is posted to (per supplier, from the caller). */
  readonly supplierSite?: string | null;
  /** Configured fallback site, used only when `supplierSite` is not known. */
  readonly defaultSupplierSite?: string | null;
  /** GL date to post with; default: the invoice date. */
  readonly accountingDate?: string;
  /** Fusion payment terms name, when the invoice's terms should be overridden. */
  readonly paymentTermsName?: string;
  readonly poNumber?: string | null;
  /** Whether the PO (poNumber) exists in the ERP, so lines can be matched to it. Default: true. */
  readonly purchaseOrderInErp?: boolean;
  /** PO schedule an invoice line is matched to; default 1. */
  readonly poScheduleNumber?: (poLineNumber: number) => number;
  readonly legalEntity: LegalEntityRef;
  /** Concatenated account (e.g. '01-000-7699-0000-000') for a line; undefined when it cannot be built. */
  readonly distributionCombination: (line: LineItem, legalEntity: LegalEntityRef) => string | undefined;
  /** The PO line's cost center and GL account, for a line without its own; undefined when unknown. */
  readonly poLineAccounting?: (poLineNumber: number) => PurchaseOrderLineAccounting | undefined;
}

export interface FusionInvoiceDistribution {
  DistributionLineNumber: number;
  DistributionLineType: 'Item';
  DistributionAmount: string;
  DistributionCombination: string;
}

export interface FusionInvoiceLine {
  LineNumber: number;
  LineType: 'Item';
  LineAmount: string;
  Description: string;
  Quantity: string;
  UnitPrice: string;
  UOM: string;
  TaxClassification?: string;
  PurchaseOrderNumber?: string;
  PurchaseOrderLineNumber?: number;
  PurchaseOrderScheduleLineNumber?: number;
  invoiceDistributions?: FusionInvoiceDistribution[];
}

export interface FusionInvoiceCreateBody {
  InvoiceNumber: string;
  InvoiceCurrency: string;
  InvoiceAmount: string;
  InvoiceDate: string;
  InvoiceType: 'Standard' | 'Credit memo';
  BusinessUnit: string;
  Supplier: string;
  SupplierNumber: string;
  SupplierSite: string;
  AccountingDate: string;
  Description: string;
  PaymentTerms?: string;
  TermsDate: string;
  PurchaseOrderNumber?: string;
  invoiceLines: FusionInvoiceLine[];
}

/** Exact decimal text without insignificant trailing zeros, keeping `minFraction` decimals ("1210.0000" -> "1210.00"). */
export function fusionDecimalText(canonical: string, minFraction: number): string {
  const [int = '0', fraction = ''] = canonical.split('.');
  const trimmed = fraction.replace(/0+$/, '').padEnd(minFraction, '0');
  return trimmed === '' ? int : `${int}.${trimmed}`;
}

const amountText = (value: string) => fusionDecimalText(value, 2);
const measureText = (value: string) => fusionDecimalText(value, 0);

function nonBlank(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Payables invoice POST body for an approved canonical invoice. */
export function toFusionInvoiceCreateBody(invoice: ApprovedInvoice, target: FusionInvoicePostingTarget): FusionInvoiceCreateBody {
  const problems = new ProblemCollector();
  const poNumber = nonBlank(target.poNumber);
  const matchable = poNumber !== undefined && target.purchaseOrderInErp !== false;
  const scheduleOf = target.poScheduleNumber ?? (() => 1);
  let anyMatched = false;

  const invoiceLines = invoice.lines.map((line, i): FusionInvoiceLine => {
    const path = `lines[${i}]`;
    const base = {
      LineNumber: line.lineNumber,
      LineType: 'Item' as const,
      LineAmount: amountText(line.amount.amount),
      Description: line.description,
      Quantity: measureText(line.quantity),
      UnitPrice: measureText(line.unitPrice.amount),
      UOM: line.unitOfMeasure,
      ...(line.taxCode ? { TaxClassification: line.taxCode } : {}),
    };
    if (matchable && line.poLineNumber !== null) {
      anyMatched = true;
      // PO-matched: Fusion takes the accounting from the PO distribution.
      return { ...base, PurchaseOrderNumber: poNumber, PurchaseOrderLineNumber: line.poLineNumber, PurchaseOrderScheduleLineNumber: scheduleOf(line.poLineNumber) };
    }
    let combination = target.distributionCombination(line, target.legalEntity);
    if (!combination && line.poLineNumber !== null && target.poLineAccounting) {
      const po = target.poLineAccounting(line.poLineNumber);
      if (po) combination = target.distributionCombination({ ...line, costCenter: line.costCenter ?? po.costCenter, glAccount: line.glAccount ?? po.glAccount }, target.legalEntity);
    }
    if (!combination) {
      const why =
        line.poLineNumber === null
          ? 'has no GL account or cost center to build a distribution from, and no PO line to take one from'
          : `has no GL account or cost center, is not matched to PO line ${line.poLineNumber} in the ERP${matchable ? '' : ' (the PO is not in the ERP)'}, and that PO line's accounting is not known`;
      problems.add(`${path}.glAccount`, why);
    }
    return {
      ...base,
      invoiceDistributions: [{ DistributionLineNumber: 1, DistributionLineType: 'Item', DistributionAmount: amountText(line.amount.amount), DistributionCombination: combination ?? '' }],
    };
  });
  const supplierSite = nonBlank(target.supplierSite) ?? nonBlank(target.defaultSupplierSite);
  if (supplierSite === undefined) problems.add('supplierSite', `no supplier site is known for supplier ${target.supplierNumber} (and no default site is configured)`);
  problems.throwIfAny(`Invoice ${invoice.supplierInvoiceNumber} for Fusion`);
  const termsName = target.paymentTermsName ?? invoice.paymentTerms?.code;
  return {
    InvoiceNumber: invoice.supplierInvoiceNumber,
    InvoiceCurrency: invoice.currency,
    InvoiceAmount: amountText(invoice.totals.gross.amount),
    InvoiceDate: invoice.invoiceDate,
    InvoiceType: invoice.documentType === 'CREDIT_NOTE' ? 'Credit memo' : 'Standard',
    BusinessUnit: target.businessUnit,
    Supplier: target.supplier,
    SupplierNumber: target.supplierNumber,
    SupplierSite: supplierSite!,
    AccountingDate: target.accountingDate ?? invoice.invoiceDate,
    // The finmesh id travels in the description so a clerk in Fusion can trace the document back.
    Description: `finmesh invoice ${invoice.invoiceId}`,
    ...(termsName ? { PaymentTerms: termsName } : {}),
    TermsDate: invoice.invoiceDate,
    ...(anyMatched ? { PurchaseOrderNumber: poNumber } : {}),
    invoiceLines,
  };
}

/** InvoicePosted payload from the Payables invoice POST response (201 body). */
export function mapFusionInvoiceCreated(invoiceId: string, response: unknown): EventPayload<'InvoicePosted'> {
  const problems = new ProblemCollector();
  const r = FieldReader.root(response, problems);
  if (!r) throw new MappingError('Fusion invoice creation response', problems.problems);
  const erpDocumentId = r.string('InvoiceId');
  const accountingDate = r.date('AccountingDate');
  const amount = r.decimal('InvoiceAmount', MONEY_SCALE);
  const currency = r.currency('InvoiceCurrency');
  const documentNumber = r.optionalString('DocumentSequence');
  problems.throwIfAny(`Fusion invoice creation response for ${invoiceId}`);
  return {
    invoiceId,
    erpDocumentId: erpDocumentId ?? '',
    erpDocumentNumber: documentNumber ?? null,
    accountingDate: accountingDate ?? '',
    fiscalPeriod: null,
    postedAmount: { amount: amount ?? '', currency: currency ?? '' },
  };
}

export type FusionFailureClass = 'BUSINESS' | 'TRANSIENT';

/** Reason codes of the rejections finmesh recognises; UNRECOGNISED_REJECTION for other 4xx. */
export type FusionRejectionReason =
  | 'PERIOD_CLOSED'
  | 'INVALID_DISTRIBUTION'
  | 'SUPPLIER_INACTIVE'
  | 'SUPPLIER_SITE_INVALID'
  | 'DUPLICATE_INVOICE'
  | 'PURCHASE_ORDER_INVALID'
  | 'UNRECOGNISED_REJECTION'
  | 'SERVICE_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'AUTHENTICATION'
  | 'TIMEOUT'
  | 'NETWORK';

export interface FusionPostingFailure {
  readonly failureClass: FusionFailureClass;
  readonly reasonCode: FusionRejectionReason;
  /** Fusion message code (e.g. 'AP-810076') when the response had one. */
  readonly erpCode: string | null;
  readonly erpMessage: string;
}

/** What the HTTP client saw: a response, or no response at all. */
export type FusionCallOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'network'; readonly message: string };

const KNOWN_REJECTIONS: readonly { reason: FusionRejectionReason; pattern: RegExp }[] = [
  { reason: 'PERIOD_CLOSED', pattern: /not in an open (accounting )?period|period.*(is closed|not open|never opened)|closed period/i },
  { reason: 'INVALID_DISTRIBUTION', pattern: /(distribution|account) combination.*(invalid|not valid|disabled)|invalid (distribution|account) combination|cross-validation rule/i },
  { reason: 'SUPPLIER_INACTIVE', pattern: /supplier.*(inactive|end-dated|not active)/i },
  { reason: 'SUPPLIER_SITE_INVALID', pattern: /supplier site.*(invalid|not valid|not (a )?pay site)/i },
  { reason: 'DUPLICATE_INVOICE', pattern: /(invoice number|invoice).*already exists|duplicate invoice/i },
  { reason: 'PURCHASE_ORDER_INVALID', pattern: /purchase order\b.*\b(doesn't exist|does not exist|isn't valid|is not valid|not found|isn't open|is not open)/i },
];

function errorDetails(body: unknown): { code: string | null; message: string } {
  if (typeof body === 'string') return { code: /\b([A-Z]{2,4}-\d{4,})\b/.exec(body)?.[1] ?? null, message: body.trim() };
  if (isPlainObject(body)) {
    const details = Array.isArray(body['o:errorDetails']) ? body['o:errorDetails'].filter(isPlainObject) : [];
    const first = details[0];
    if (first) {
      return {
        code: typeof first['o:errorCode'] === 'string' ? first['o:errorCode'] : null,
        message: details.map((d) => String(d['detail'] ?? '')).filter((m) => m !== '').join(' | '),
      };
    }
    const text = body['detail'] ?? body['title'];
    if (typeof text === 'string') return { code: null, message: text };
  }
  return { code: null, message: 'no error message in the response' };
}

/** Business (do not retry; remediate) or transient (retry) failure of a Payables invoice POST. */
export function classifyFusionInvoiceFailure(outcome: FusionCallOutcome): FusionPostingFailure {
  if (outcome.kind === 'timeout') return { failureClass: 'TRANSIENT', reasonCode: 'TIMEOUT', erpCode: null, erpMessage: `no response within ${outcome.afterMs} ms` };
  if (outcome.kind === 'network') return { failureClass: 'TRANSIENT', reasonCode: 'NETWORK', erpCode: null, erpMessage: outcome.message };
  const { code, message } = errorDetails(outcome.body);
  const erpMessage = `HTTP ${outcome.status}: ${message}`;
  if (outcome.status >= 500) return { failureClass: 'TRANSIENT', reasonCode: 'SERVICE_UNAVAILABLE', erpCode: code, erpMessage };
  if (outcome.status === 429) return { failureClass: 'TRANSIENT', reasonCode: 'RATE_LIMITED', erpCode: code, erpMessage };
  // Expired or rotated credentials are fixed by operations, not by changing the invoice; retrying
  // after the fix posts the same document, so this is transient from the invoice's point of view.
  if (outcome.status === 401 || outcome.status === 403) return { failureClass: 'TRANSIENT', reasonCode: 'AUTHENTICATION', erpCode: code, erpMessage };
  const known = KNOWN_REJECTIONS.find((k) => k.pattern.test(message));
  if (known) return { failureClass: 'BUSINESS', reasonCode: known.reason, erpCode: code, erpMessage };
  if (outcome.status === 409) return { failureClass: 'BUSINESS', reasonCode: 'DUPLICATE_INVOICE', erpCode: code, erpMessage };
  return { failureClass: 'BUSINESS', reasonCode: 'UNRECOGNISED_REJECTION', erpCode: code, erpMessage };
}

