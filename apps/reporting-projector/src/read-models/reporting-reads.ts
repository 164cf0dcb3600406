import type { EventName, FieldPaths } from '@finmesh/contracts';

/**
 * The fields the reporting projection reads, per event. A rebuild decodes only these; the live
 * projector decodes everything. Keep this list in step with the *-facts.ts projectors. The spec
 * `reporting-projection.spec.ts` fails when a field the projectors use is missing here.
 */
const LEGAL_ENTITY = 'envelope.legalEntity.code';
const FRESHNESS = ['envelope.sourcePlatform'];

const PO_REVISION = [
  'purchaseOrderId',
  'revision',
  'poNumber',
  'paymentTerms.netDays',
  'totals.net.amount',
  'totals.gross.amount',
  'lines.lineNumber',
  'lines.description',
  'lines.quantity',
  'lines.unitPrice.amount',
  'lines.amount.amount',
  'lines.amount.currency',
  'lines.costCenter.code',
  'lines.glAccount',
  'lines.matchType',
];

export const REPORTING_READS: Readonly<Record<EventName, FieldPaths>> = {
  SupplierUpserted: [...FRESHNESS, 'supplierId', 'revision', 'legalName', 'status', 'paymentTerms.code', 'paymentTerms.netDays', 'defaultCurrency'],
  SupplierBlocked: [...FRESHNESS, 'supplierId', 'scope', 'reasonCode'],
  SupplierUnblocked: [...FRESHNESS, 'supplierId', 'scope'],
  PurchaseOrderIssued: [...FRESHNESS, ...PO_REVISION, 'supplierId', LEGAL_ENTITY, 'currency', 'orderDate'],
  PurchaseOrderChanged: [...FRESHNESS, ...PO_REVISION],
  PurchaseOrderClosed: [...FRESHNESS, 'purchaseOrderId', 'reason'],
  GoodsReceiptRecorded: [
    ...FRESHNESS,
    'receiptId',
    'purchaseOrderId',
    'supplierId',
    LEGAL_ENTITY,
    'receivedAt',
    'lines.poLineNumber',
    'lines.quantityReceived',
    'lines.unitOfMeasure',
  ],
  InvoiceReceived: [
    ...FRESHNESS,
    'invoiceId',
    'supplierId',
    'supplierInvoiceNumber',
    LEGAL_ENTITY,
    'documentType',
    'currency',
    'invoiceDate',
    'dueDate',
    'purchaseOrderId',
    'totals.net.amount',
    'totals.tax.amount',
    'totals.gross.amount',
    'paymentTerms.netDays',
    'lines.lineNumber',
    'lines.poLineNumber',
    'lines.quantity',
    'lines.amount.amount',
    'lines.amount.currency',
    'lines.costCenter.code',
  ],
  InvoiceMatched: [...FRESHNESS, 'invoiceId', 'matchType'],
  MatchExceptionRaised: [...FRESHNESS, 'exceptionId', 'invoiceId', 'supplierId', LEGAL_ENTITY, 'purchaseOrderId', 'reasons.code'],
  InvoiceApproved: [...FRESHNESS, 'invoiceId', 'mode', 'overriddenExceptionIds', 'approvedBy'],
  InvoicePosted: [...FRESHNESS, 'invoiceId', 'erpDocumentId', 'postedAmount.amount', 'accountingDate'],
  InvoicePostingFailed: [...FRESHNESS, 'invoiceId', 'failureClass', 'erpCode'],
  InvoiceErpValidationReported: [...FRESHNESS, 'invoiceId', 'validationStatus', 'holds.holdName'],
  InvoiceCancelled: [...FRESHNESS, 'invoiceId', 'cancelledAt', 'origin'],
  PaymentReleased: [
    ...FRESHNESS,
    'paymentId',
    'paymentRunId',
    'supplierId',
    LEGAL_ENTITY,
    'amount.amount',
    'amount.currency',
    'method',
    'valueDate',
    'allocations.invoiceId',
    'allocations.amount.amount',
    'allocations.amount.currency',
    'allocations.discountTaken.amount',
  ],
  PaymentConfirmed: [...FRESHNESS, 'paymentId', 'confirmedAt'],
  PaymentVoided: [...FRESHNESS, 'paymentId', 'voidDate'],
};
