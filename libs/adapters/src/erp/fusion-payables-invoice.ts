/**
 * Canonical approved invoice -> Oracle Fusion Payables invoice POST body; the POST response ->
 * InvoicePosted fields; error responses -> business or transient failure.
 *
 * Shape: Oracle Fusion Cloud Financials REST, Payables Invoices (`POST /fscmRestApi/resources/
 * 11.13.18.05/invoices`, "Create an invoice" and "Create an Invoice with a PO-Matched Line"
 * examples): header `InvoiceNumber`, `InvoiceCurrency`, `InvoiceAmount`, `InvoiceDate`,
 * `BusinessUnit`, `Supplier`, `SupplierSite`, `InvoiceType`, `Description`, `PaymentTerms`,
 * `TermsDate`, `AccountingDate`, `PurchaseOrderNumber`; `invoiceLines[]` with `LineNumber`,
 * `LineType`, `LineAmount`, `Description`, `Quantity`, `UnitPrice`, `UOM`,
 * `TaxClassificationCode`, `PurchaseOrderNumber`, `PurchaseOrderLineNumber`, and
 * `invoiceDistributions[]` (`DistributionLineNumber`, `DistributionLineType`,
 * `DistributionAmount`, `DistributionCombination`). Response: the created invoice with
 * `InvoiceId`, `InvoiceNumber`, `AccountingDate`, `InvoiceAmount`, `InvoiceCurrency`,
 * `DocumentSequence`. Errors: ADF REST error payload (`title`, `status`,
 * `o:errorDetails[{ detail, o:errorCode }]`) or a plain-text message, depending on the
 * REST-Framework-Version.
 *
 * Simplified / decided here:
 *  - Amounts go as JSON numbers (the API's attribute type) produced from the canonical string;
 *    an amount a JavaScript number cannot carry exactly (> 15 significant digits) is refused
 *    rather than rounded by JSON.stringify.
 *  - Tax is left to Fusion tax calculation: item lines carry `TaxClassificationCode`; no tax
 *    lines are sent. InvoiceAmount is the gross amount, which Fusion validates against.
 *  - One distribution per line, account from the caller's `distributionCombination` (built from
 *    legal entity, cost center and GL account; the segment layout is the customer's chart).
 *  - Credit notes go as InvoiceType "Credit memo" with negative amounts (Fusion's convention).
 *  - fiscalPeriod: the POST response has no period name; it is left null.
 *  - Error classification is by HTTP status and known message texts / AP- codes; unknown 4xx
 *    are BUSINESS (resending the same document will not help), 5xx/timeouts/network TRANSIENT.
 */
import { MONEY_SCALE, toExactJsonNumber, type LegalEntityRef, type LineItem } from '@finmesh/contracts';
import { FieldReader, isPlainObject } from '../mapping/field-reader';
import type { EventPayload } from '../mapping/mapping-context';
import { MappingError, ProblemCollector } from '../mapping/mapping-error';

/** The canonical invoice as approved for posting (the InvoiceReceived payload). */
export type ApprovedInvoice = EventPayload<'InvoiceReceived'>;

export interface FusionInvoicePostingTarget {
  /** Fusion business unit name for the legal entity. */
  readonly businessUnit: string;
  /** Supplier name and number as registered in Fusion. */
  readonly supplier: string;
  readonly supplierNumber: string;
  readonly supplierSite: string;
  /** GL date to post with; default: the invoice date. */
  readonly accountingDate?: string;
  /** Fusion payment terms name, when the invoice's terms should be overridden. */
  readonly paymentTermsName?: string;
  readonly poNumber?: string | null;
  readonly legalEntity: LegalEntityRef;
  /** Concatenated account (e.g. '01-000-7699-0000-000') for a line; undefined when it cannot be built. */
  readonly distributionCombination: (line: LineItem, legalEntity: LegalEntityRef) => string | undefined;
}

export interface FusionInvoiceDistribution {
  DistributionLineNumber: number;
  DistributionLineType: 'Item';
  DistributionAmount: number;
  DistributionCombination: string;
}

export interface FusionInvoiceLine {
  LineNumber: number;
  LineType: 'Item';
  LineAmount: number;
  Description: string;
  Quantity: number;
  UnitPrice: number;
  UOM: string;
  TaxClassificationCode?: string;
  PurchaseOrderNumber?: string;
  PurchaseOrderLineNumber?: number;
  invoiceDistributions: FusionInvoiceDistribution[];
}

export interface FusionInvoiceCreateBody {
  InvoiceNumber: string;
  InvoiceCurrency: string;
  InvoiceAmount: number;
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

/** Payables invoice POST body for an approved canonical invoice. */
export function toFusionInvoiceCreateBody(invoice: ApprovedInvoice, target: FusionInvoicePostingTarget): FusionInvoiceCreateBody {
  const problems = new ProblemCollector();
  const num = (path: string, value: string): number => {
    const n = toExactJsonNumber(value);
    if (n === undefined) problems.add(path, `${value} has more than 15 significant digits and cannot be sent exactly as a JSON number`);
    return n ?? 0;
  };
  const invoiceLines = invoice.lines.map((line, i): FusionInvoiceLine => {
    const path = `lines[${i}]`;
    const combination = target.distributionCombination(line, target.legalEntity);
    if (!combination) problems.add(`${path}.glAccount`, 'no distribution combination can be built (GL account or cost center missing)');
    const amount = num(`${path}.amount.amount`, line.amount.amount);
    return {
      LineNumber: line.lineNumber,
      LineType: 'Item',
      LineAmount: amount,
      Description: line.description,
      Quantity: num(`${path}.quantity`, line.quantity),
      UnitPrice: num(`${path}.unitPrice.amount`, line.unitPrice.amount),
      UOM: line.unitOfMeasure,
      ...(line.taxCode ? { TaxClassificationCode: line.taxCode } : {}),
      ...(target.poNumber && line.poLineNumber !== null ? { PurchaseOrderNumber: target.poNumber, PurchaseOrderLineNumber: line.poLineNumber } : {}),
      invoiceDistributions: [{ DistributionLineNumber: 1, DistributionLineType: 'Item', DistributionAmount: amount, DistributionCombination: combination ?? '' }],
    };
  });
  const invoiceAmount = num('totals.gross.amount', invoice.totals.gross.amount);
  problems.throwIfAny(`Invoice ${invoice.supplierInvoiceNumber} for Fusion`);
  const termsName = target.paymentTermsName ?? invoice.paymentTerms?.code;
  return {
    InvoiceNumber: invoice.supplierInvoiceNumber,
    InvoiceCurrency: invoice.currency,
    InvoiceAmount: invoiceAmount,
    InvoiceDate: invoice.invoiceDate,
    InvoiceType: invoice.documentType === 'CREDIT_NOTE' ? 'Credit memo' : 'Standard',
    BusinessUnit: target.businessUnit,
    Supplier: target.supplier,
    SupplierNumber: target.supplierNumber,
    SupplierSite: target.supplierSite,
    AccountingDate: target.accountingDate ?? invoice.invoiceDate,
    // The finmesh id travels in the description so a clerk in Fusion can trace the document back.
    Description: `finmesh invoice ${invoice.invoiceId}`,
    ...(termsName ? { PaymentTerms: termsName } : {}),
    TermsDate: invoice.invoiceDate,
    ...(target.poNumber ? { PurchaseOrderNumber: target.poNumber } : {}),
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

