import { fromUnscaled } from '@finmesh/contracts';
import type {
  Address,
  EventEnvelope,
  EventName,
  GoodsReceiptRecorded,
  InvoiceApproved,
  InvoiceMatched,
  InvoicePosted,
  InvoicePostingFailed,
  InvoiceReceived,
  MatchExceptionRaised,
  MatchExceptionReason,
  PaymentConfirmed,
  PaymentReleased,
  PaymentTerms,
  PurchaseOrderChanged,
  PurchaseOrderClosed,
  PurchaseOrderIssued,
  PurchaseOrderLine,
  SourcePlatform,
  SupplierBlocked,
  SupplierUnblocked,
  SupplierUpserted,
} from '@finmesh/contracts';

/**
 * Builders of complete, contract-valid finmesh events for generated histories (tests, benchmarks).
 * Amounts are decimal strings built from integer cents: money never passes through a float.
 */
export interface LegalEntity {
  readonly code: string;
  readonly country: string;
  readonly currency: string;
}

export const LEGAL_ENTITIES: readonly LegalEntity[] = [
  { code: 'DE01', country: 'DE', currency: 'EUR' },
  { code: 'NL01', country: 'NL', currency: 'EUR' },
  { code: 'US01', country: 'US', currency: 'USD' },
];

export function money(cents: bigint, currency: string): { amount: string; currency: string } {
  return { amount: fromUnscaled(cents, 2), currency };
}

export function envelope(event: EventName, eventId: string, occurredAt: Date, le: LegalEntity, platform: SourcePlatform, correlationId: string): EventEnvelope {
  return {
    eventId,
    eventType: event,
    eventVersion: 1,
    occurredAt,
    sourcePlatform: platform,
    correlationId,
    causationId: null,
    legalEntity: { code: le.code, country: le.country, name: null },
  };
}

const ADDRESS: Address = { line1: '1 Ledger Street', line2: null, city: 'Utrecht', region: null, postalCode: '3511', country: 'NL' };
export const NET_30: PaymentTerms = { code: 'NET30', netDays: 30, discountPercent: null, discountDays: null };

export function supplierUpserted(env: EventEnvelope, supplierId: string, revision: number, name: string, currency: string, terms: PaymentTerms): SupplierUpserted {
  return {
    envelope: env,
    supplierId,
    revision,
    externalIds: { erp: `ERP-${supplierId}` },
    legalName: name,
    tradingName: null,
    status: 'ACTIVE',
    registeredAddress: ADDRESS,
    remitToAddress: null,
    taxIds: [{ scheme: 'VAT', value: `NL${supplierId.replace(/\D/g, '').padStart(9, '0')}B01`, country: 'NL' }],
    bankAccounts: [],
    paymentTerms: terms,
    defaultCurrency: currency,
    contactEmail: null,
    sites: [],
  };
}

export function supplierBlocked(env: EventEnvelope, supplierId: string): SupplierBlocked {
  return { envelope: env, supplierId, scope: 'PAYMENT', reasonCode: 'COMPLIANCE_REVIEW', reason: null, blockedBy: 'ops' };
}

export function supplierUnblocked(env: EventEnvelope, supplierId: string): SupplierUnblocked {
  return { envelope: env, supplierId, scope: 'PAYMENT', reason: null, unblockedBy: 'ops' };
}

export interface PoLineSpec {
  readonly lineNumber: number;
  readonly quantity: number;
  readonly unitPriceCents: bigint;
  readonly costCenter: string;
}

export function poLines(lines: readonly PoLineSpec[], currency: string): PurchaseOrderLine[] {
  return lines.map((l) => ({
    lineNumber: l.lineNumber,
    itemCode: null,
    description: `Item ${l.lineNumber}`,
    quantity: String(l.quantity),
    unitOfMeasure: 'EA',
    unitPrice: money(l.unitPriceCents, currency),
    amount: money(l.unitPriceCents * BigInt(l.quantity), currency),
    taxCode: null,
    costCenter: { code: l.costCenter, name: null },
    glAccount: '6000',
    matchType: 'THREE_WAY',
    needByDate: null,
  }));
}

function totals(lines: readonly PoLineSpec[], currency: string) {
  const net = lines.reduce((s, l) => s + l.unitPriceCents * BigInt(l.quantity), 0n);
  return { net: money(net, currency), tax: money(0n, currency), gross: money(net, currency) };
}

export function purchaseOrderIssued(env: EventEnvelope, poId: string, supplierId: string, orderDate: string, currency: string, lines: readonly PoLineSpec[]): PurchaseOrderIssued {
  return {
    envelope: env,
    purchaseOrderId: poId,
    poNumber: `PO-${poId}`,
    revision: 1,
    supplierId,
    buyer: null,
    orderDate,
    currency,
    paymentTerms: NET_30,
    shipTo: null,
    lines: poLines(lines, currency),
    totals: totals(lines, currency),
  };
}

export function purchaseOrderChanged(env: EventEnvelope, poId: string, revision: number, currency: string, lines: readonly PoLineSpec[]): PurchaseOrderChanged {
  return {
    envelope: env,
    purchaseOrderId: poId,
    poNumber: `PO-${poId}`,
    revision,
    changeReason: 'quantity change',
    changedBy: null,
    paymentTerms: NET_30,
    shipTo: null,
    lines: poLines(lines, currency),
    totals: totals(lines, currency),
  };
}

export function purchaseOrderClosed(env: EventEnvelope, poId: string): PurchaseOrderClosed {
  return { envelope: env, purchaseOrderId: poId, poNumber: `PO-${poId}`, reason: 'COMPLETED', comment: null, closedBy: null };
}

export function goodsReceiptRecorded(env: EventEnvelope, poId: string, receiptId: string, supplierId: string, receivedAt: Date, lines: readonly { lineNumber: number; quantity: number }[]): GoodsReceiptRecorded {
  return {
    envelope: env,
    purchaseOrderId: poId,
    receiptId,
    receiptNumber: null,
    supplierId,
    receivedAt,
    receivedBy: null,
    lines: lines.map((l) => ({ poLineNumber: l.lineNumber, quantityReceived: String(l.quantity), unitOfMeasure: 'EA' })),
  };
}

export function invoiceReceived(
  env: EventEnvelope,
  invoiceId: string,
  supplierId: string,
  poId: string,
  invoiceDate: string,
  dueDate: string,
  currency: string,
  lines: readonly PoLineSpec[],
): InvoiceReceived {
  return {
    envelope: env,
    invoiceId,
    supplierId,
    supplierInvoiceNumber: `INV-${invoiceId}`,
    documentType: 'INVOICE',
    invoiceDate,
    dueDate,
    purchaseOrderId: poId,
    currency,
    paymentTerms: NET_30,
    // The invoice bills the PO lines as ordered: same item, price and cost centre, referencing the PO line.
    lines: poLines(lines, currency).map(({ matchType: _matchType, needByDate: _needByDate, ...line }) => ({ ...line, poLineNumber: line.lineNumber })),
    taxLines: [],
    totals: totals(lines, currency),
    documentUri: null,
  };
}

export function invoiceMatched(env: EventEnvelope, invoiceId: string, supplierId: string, poId: string): InvoiceMatched {
  return { envelope: env, invoiceId, supplierId, purchaseOrderId: poId, matchType: 'THREE_WAY', lineResults: [] };
}

export function matchExceptionRaised(env: EventEnvelope, invoiceId: string, exceptionId: string, supplierId: string, poId: string, reason: MatchExceptionReason): MatchExceptionRaised {
  return {
    envelope: env,
    invoiceId,
    exceptionId,
    supplierId,
    purchaseOrderId: poId,
    reasons: [{ code: reason, lineNumber: 1, expected: null, actual: null, variance: null, tolerance: null, message: `${reason} on line 1` }],
  };
}

export function invoiceApproved(env: EventEnvelope, invoiceId: string, overriddenExceptionIds: readonly string[]): InvoiceApproved {
  return {
    envelope: env,
    invoiceId,
    approvedBy: overriddenExceptionIds.length > 0 ? 'controller@example.com' : 'finmesh',
    mode: overriddenExceptionIds.length > 0 ? 'OVERRIDE' : 'AUTO',
    reason: overriddenExceptionIds.length > 0 ? 'variance accepted' : null,
    overriddenExceptionIds: [...overriddenExceptionIds],
  };
}

export function invoicePosted(env: EventEnvelope, invoiceId: string, erpDocumentId: string, accountingDate: string, amount: { amount: string; currency: string }): InvoicePosted {
  return { envelope: env, invoiceId, erpDocumentId, erpDocumentNumber: null, accountingDate, fiscalPeriod: null, postedAmount: amount };
}

export function invoicePostingFailed(env: EventEnvelope, invoiceId: string): InvoicePostingFailed {
  return { envelope: env, invoiceId, failureClass: 'BUSINESS', erpCode: 'AP-INVALID-PERIOD', erpMessage: 'accounting period closed', attempts: 1, remediationStatus: 'OPEN' };
}

export function paymentReleased(env: EventEnvelope, paymentId: string, supplierId: string, valueDate: string, invoiceId: string, amount: { amount: string; currency: string }): PaymentReleased {
  return {
    envelope: env,
    paymentId,
    paymentRunId: `RUN-${valueDate}`,
    supplierId,
    amount,
    method: amount.currency === 'USD' ? 'ACH' : 'SEPA_CREDIT_TRANSFER',
    valueDate,
    payeeBankAccountRef: `BA-${supplierId}`,
    allocations: [{ invoiceId, supplierInvoiceNumber: `INV-${invoiceId}`, amount, discountTaken: null }],
  };
}

export function paymentConfirmed(env: EventEnvelope, paymentId: string, supplierId: string, confirmedAt: Date, invoiceId: string, amount: { amount: string; currency: string }): PaymentConfirmed {
  return {
    envelope: env,
    paymentId,
    supplierId,
    confirmedAt,
    bankReference: `BR-${paymentId}`,
    amount,
    allocations: [{ invoiceId, supplierInvoiceNumber: `INV-${invoiceId}`, amount, discountTaken: null }],
  };
}
