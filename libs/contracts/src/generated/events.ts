// GENERATED from schemas/ by `npm run schemas:types` — do not edit.
// Types of the newest version of each event contract; the codec's logical types produce these
// shapes (decimal -> string, timestamp-millis -> Date, date -> 'YYYY-MM-DD').

// ---- Shared and nested types ----

/**
 * Postal address.
 * Avro: finmesh.common.Address
 */
export interface Address {
  /** Street and house number (first address line). */
  line1: string;
  /** Additional address line. */
  line2: string | null;
  /** City or locality. */
  city: string;
  /** State, province or region (ISO 3166-2 subdivision code where available). */
  region: string | null;
  /** Postal code; null where the country has none. */
  postalCode: string | null;
  /** ISO 3166-1 alpha-2 country code. */
  country: string;
}

/**
 * AUTO = clean match approved by rule; OVERRIDE = a person approved despite exceptions. Without a reader default on purpose: an approval of unknown kind must not be posted.
 * Avro: finmesh.invoice.ApprovalMode
 */
export type ApprovalMode = 'AUTO' | 'OVERRIDE';

/**
 * A bank account of a party. Either IBAN/BIC (SEPA and most of the world) or a domestic account number/routing number (e.g. US ACH) is set. Account numbers are sensitive: logs redact them and display uses maskedReference.
 * Avro: finmesh.common.BankAccount
 */
export interface BankAccount {
  /** Stable id of this bank account within the supplier record, so changes and payments can refer to it. */
  accountId: string;
  /** Account holder name as registered with the bank. */
  holderName: string;
  /** IBAN without spaces; null where the account has none. */
  iban: string | null;
  /** Domestic account number where no IBAN exists. */
  accountNumber: string | null;
  /** BIC/SWIFT code of the bank. */
  bic: string | null;
  /** Domestic bank routing/sort code (ABA, sort code, BSB). */
  routingNumber: string | null;
  /** Country of the bank, ISO 3166-1 alpha-2. */
  bankCountry: string;
  /** Account currency (ISO 4217) when the account is restricted to one. */
  currency: string | null;
  /** Non-sensitive display form, e.g. '****3000'; safe to log and to show on remittance advices. */
  maskedReference: string;
}

/**
 * Reference to a cost center of the controlling area of the legal entity.
 * Avro: finmesh.common.CostCenterRef
 */
export interface CostCenterRef {
  /** Cost center code as known in the ERP. */
  code: string;
  /** Display name, informational only. */
  name: string | null;
}

/**
 * Header totals of a commercial document; gross = net + tax, all in the document currency.
 * Avro: finmesh.common.DocumentTotals
 */
export interface DocumentTotals {
  /** Sum of the net line amounts. */
  net: Money;
  /** Sum of the tax amounts. */
  tax: Money;
  /** Amount payable: net + tax. */
  gross: Money;
}

/**
 * One unreleased hold the ERP placed on the invoice.
 * Avro: finmesh.invoice.ErpInvoiceHold
 */
export interface ErpInvoiceHold {
  /** The ERP's hold name (e.g. 'Qty Rec', 'Amt Ord'). */
  holdName: string;
  /** The ERP's reason text. */
  holdReason: string | null;
}

/**
 * The ERP's validation status. OTHER is the reader default.
 * Avro: finmesh.invoice.ErpValidationStatus
 */
export type ErpValidationStatus = 'VALIDATED' | 'NOT_VALIDATED' | 'NEEDS_REVALIDATION' | 'OTHER';

/**
 * Metadata common to every finmesh event; always the first field of an event record. Consumers use eventId for idempotence and correlationId/causationId for tracing a business flow across platforms.
 * Avro: finmesh.common.EventEnvelope
 */
export interface EventEnvelope {
  /**
   * Unique id of this event (UUID). Consumers de-duplicate on it.
   * UUID string.
   */
  eventId: string;
  /** Record full name of the event, e.g. 'finmesh.invoice.InvoiceReceived'. */
  eventType: string;
  /** Contract version N of the schema file the producer wrote (<EventName>.v<N>.avsc). */
  eventVersion: number;
  /**
   * When the business fact happened in the source platform (not when it was published), UTC epoch milliseconds.
   * Timestamp (millisecond precision, UTC).
   */
  occurredAt: Date;
  /** Platform that produced the fact. */
  sourcePlatform: SourcePlatform;
  /** Id shared by every event of one business flow (e.g. one invoice from receipt to payment). */
  correlationId: string;
  /** eventId of the event that caused this one; null for facts that originate outside finmesh. */
  causationId: string | null;
  /** Legal entity whose books the fact belongs to. */
  legalEntity: LegalEntityRef;
}

/**
 * Quantity received for one PO line.
 * Avro: finmesh.purchaseorder.GoodsReceiptLine
 */
export interface GoodsReceiptLine {
  /** PO line the quantity was received for. */
  poLineNumber: number;
  /**
   * Quantity received in unitOfMeasure, decimal(19,4); negative for a return to supplier.
   * Decimal(19,4) as a canonical decimal string with 4 fraction digits.
   */
  quantityReceived: string;
  /** Unit of measure, UN/ECE Recommendation 20 code; the PO line's unit. */
  unitOfMeasure: string;
}

/**
 * Where the cancellation started. OTHER is the reader default.
 * Avro: finmesh.invoice.InvoiceCancellationOrigin
 */
export type InvoiceCancellationOrigin = 'AP_PLATFORM' | 'ERP' | 'FINMESH' | 'OTHER';

/**
 * Invoice or credit note. INVOICE is the reader default.
 * Avro: finmesh.invoice.InvoiceDocumentType
 */
export type InvoiceDocumentType = 'INVOICE' | 'CREDIT_NOTE';

/**
 * The legal entity (company code) whose books the event belongs to. Every finance fact is scoped to exactly one legal entity.
 * Avro: finmesh.common.LegalEntityRef
 */
export interface LegalEntityRef {
  /** Company code as known in the ERP, e.g. 'DE01'. */
  code: string;
  /** Country of incorporation, ISO 3166-1 alpha-2 (e.g. 'DE'). */
  country: string;
  /** Registered name, informational only. */
  name: string | null;
}

/**
 * A line of a commercial document (invoice line). amount = quantity x unitPrice rounded to the currency, net of tax.
 * Avro: finmesh.common.LineItem
 */
export interface LineItem {
  /** Line number, unique within the document, starting at 1. */
  lineNumber: number;
  /** Item / material number; null for free-text lines (services). */
  itemCode: string | null;
  /** Line description as on the document. */
  description: string;
  /**
   * Quantity in unitOfMeasure, decimal(19,4); negative on credit notes.
   * Decimal(19,4) as a canonical decimal string with 4 fraction digits.
   */
  quantity: string;
  /** Unit of measure, UN/ECE Recommendation 20 code (e.g. 'EA', 'KGM', 'HUR'). */
  unitOfMeasure: string;
  /** Net price per unit of measure. */
  unitPrice: UnitPrice;
  /** Net line amount. */
  amount: Money;
  /** Tax code of the legal entity's tax configuration; null when not yet determined. */
  taxCode: string | null;
  /** Cost center the line is charged to, when known. */
  costCenter: CostCenterRef | null;
  /** General-ledger account the line is charged to, when known. */
  glAccount: string | null;
  /** Line number of the purchase order line this line refers to; null for non-PO lines. */
  poLineNumber: number | null;
}

/**
 * One reason an invoice did not match, with its figures. Figures are decimal strings because a reason may compare amounts, quantities or percentages of different scales.
 * Avro: finmesh.invoice.MatchExceptionDetail
 */
export interface MatchExceptionDetail {
  /** Why the invoice did not match. */
  code: MatchExceptionReason;
  /** Invoice line concerned; null for header-level reasons. */
  lineNumber: number | null;
  /** Expected figure as a canonical decimal string (e.g. PO unit price), when the reason compares numbers. */
  expected: string | null;
  /** Actual figure as a canonical decimal string (e.g. invoiced unit price). */
  actual: string | null;
  /** actual - expected as a canonical decimal string. */
  variance: string | null;
  /** Tolerance that was exceeded, as a canonical decimal string (absolute, in the unit of expected). */
  tolerance: string | null;
  /** Human-readable explanation for the AP clerk. */
  message: string;
}

/**
 * Reason code. UNKNOWN is the reader default for reasons added later; such exceptions still go to manual review.
 * Avro: finmesh.invoice.MatchExceptionReason
 */
export type MatchExceptionReason = 'PRICE_VARIANCE' | 'QTY_VARIANCE' | 'NO_RECEIPT' | 'PO_NOT_FOUND' | 'SUPPLIER_BLOCKED' | 'TAX_CODE_INVALID' | 'CURRENCY_MISMATCH' | 'DUPLICATE_INVOICE' | 'UNKNOWN';

/**
 * Outcome of matching one invoice line.
 * Avro: finmesh.invoice.MatchLineResult
 */
export interface MatchLineResult {
  /** Invoice line number. */
  invoiceLineNumber: number;
  /** PO line it was matched to. */
  poLineNumber: number;
  /** Matching mode of the PO line. */
  matchType: MatchType;
  /**
   * Quantity invoiced on this line, decimal(19,4).
   * Decimal(19,4) as a canonical decimal string with 4 fraction digits.
   */
  invoicedQuantity: string;
  /**
   * Quantity ordered on the PO line, decimal(19,4).
   * Decimal(19,4) as a canonical decimal string with 4 fraction digits.
   */
  orderedQuantity: string;
  /**
   * Quantity received on the PO line so far, decimal(19,4); null for TWO_WAY.
   * Decimal(19,4) as a canonical decimal string with 4 fraction digits.
   */
  receivedQuantity: string | null;
  /** (invoice unit price - PO unit price) x invoiced quantity; within tolerance when the line matched. */
  priceVariance: Money;
  /** True when the line matched exactly or within the tolerance profile. */
  withinTolerance: boolean;
}

/**
 * How an invoice line is matched: TWO_WAY = invoice vs PO (price, quantity ordered); THREE_WAY = invoice vs PO vs goods receipt (quantity received). Deliberately without a reader default: a consumer that does not know a matching mode must not guess how to match.
 * Avro: finmesh.common.MatchType
 */
export type MatchType = 'TWO_WAY' | 'THREE_WAY';

/**
 * A monetary amount in one currency. Exact decimal, never binary floating point: 0.10 must stay 0.10 from the AP platform to the general ledger.
 * Avro: finmesh.common.Money
 */
export interface Money {
  /**
   * Amount, decimal(19,4); negative for credits. Four fraction digits cover every ISO 4217 minor unit plus rounding headroom.
   * Decimal(19,4) as a canonical decimal string with 4 fraction digits.
   */
  amount: string;
  /** ISO 4217 alphabetic currency code, e.g. 'EUR'. */
  currency: string;
}

/**
 * The part of a payment settling one invoice. One payment may settle several invoices, and an invoice may be settled by several (partial) payments.
 * Avro: finmesh.common.PaymentAllocation
 */
export interface PaymentAllocation {
  /** finmesh invoice id being (partly) settled. */
  invoiceId: string;
  /** Supplier's invoice number, for the remittance advice. */
  supplierInvoiceNumber: string | null;
  /** Amount of the payment applied to this invoice. */
  amount: Money;
  /** Early-payment discount deducted for this invoice; null when none. */
  discountTaken: Money | null;
}

/**
 * Payment instrument. OTHER is the reader default for methods added later.
 * Avro: finmesh.common.PaymentMethod
 */
export type PaymentMethod = 'SEPA_CREDIT_TRANSFER' | 'ACH' | 'WIRE' | 'CHECK' | 'OTHER';

/**
 * Payment terms, e.g. '2/10 net 30': net due in netDays, discountPercent off when paid within discountDays.
 * Avro: finmesh.common.PaymentTerms
 */
export interface PaymentTerms {
  /** Terms code as known in the ERP, e.g. 'N30' or '2/10N30'. */
  code: string;
  /** Days from the baseline (invoice) date until the net amount is due. */
  netDays: number;
  /**
   * Early-payment discount in percent (2.0000 = 2 %), decimal(7,4); null when the terms have no discount.
   * Decimal(7,4) as a canonical decimal string with 4 fraction digits.
   */
  discountPercent: string | null;
  /** Days within which the discount applies; null when the terms have no discount. */
  discountDays: number | null;
}

/**
 * BUSINESS = the ERP rejected the document (retrying will not help); TRANSIENT_EXHAUSTED = timeouts/unavailability outlasted the retry budget.
 * Avro: finmesh.invoice.PostingFailureClass
 */
export type PostingFailureClass = 'BUSINESS' | 'TRANSIENT_EXHAUSTED';

/**
 * Why a PO was closed. OTHER is the reader default.
 * Avro: finmesh.purchaseorder.PurchaseOrderCloseReason
 */
export type PurchaseOrderCloseReason = 'COMPLETED' | 'CANCELLED' | 'SHORT_CLOSED' | 'EXPIRED' | 'OTHER';

/**
 * A line of a purchase order. Shared by PurchaseOrderIssued and PurchaseOrderChanged, which always carry the complete line set.
 * Avro: finmesh.common.PurchaseOrderLine
 */
export interface PurchaseOrderLine {
  /** PO line number, stable across revisions; invoices and receipts refer to it. */
  lineNumber: number;
  /** Item / material number; null for free-text (service) lines. */
  itemCode: string | null;
  /** Line description. */
  description: string;
  /**
   * Ordered quantity in unitOfMeasure, decimal(19,4).
   * Decimal(19,4) as a canonical decimal string with 4 fraction digits.
   */
  quantity: string;
  /** Unit of measure, UN/ECE Recommendation 20 code. */
  unitOfMeasure: string;
  /** Agreed net price per unit. */
  unitPrice: UnitPrice;
  /** Net line amount (quantity x unitPrice). */
  amount: Money;
  /** Expected tax code; null when determined at invoicing. */
  taxCode: string | null;
  /** Cost center the line is charged to. */
  costCenter: CostCenterRef;
  /** General-ledger account, when account assignment is known at ordering. */
  glAccount: string | null;
  /** Matching mode invoices against this line must pass. */
  matchType: MatchType;
  /**
   * Requested delivery date (calendar date, no time zone); null when not specified.
   * Calendar date 'YYYY-MM-DD'.
   */
  needByDate: string | null;
}

/**
 * State of the manual follow-up. OPEN is the reader default.
 * Avro: finmesh.invoice.RemediationStatus
 */
export type RemediationStatus = 'OPEN' | 'IN_PROGRESS' | 'RESOLVED' | 'DISMISSED';

/**
 * System of record that produced the fact an event describes. UNKNOWN is the reader default, so a consumer built before a new platform symbol was added still reads the event instead of failing.
 * Avro: finmesh.common.SourcePlatform
 */
export type SourcePlatform = 'PROCUREMENT' | 'AP_AUTOMATION' | 'ERP' | 'FINMESH' | 'UNKNOWN';

/**
 * What a supplier block stops. ALL is the reader default: an unknown, newer scope is treated as the strictest block.
 * Avro: finmesh.common.SupplierBlockScope
 */
export type SupplierBlockScope = 'ALL' | 'PURCHASING' | 'POSTING' | 'PAYMENT';

/**
 * A site of the supplier in the ERP (Fusion suppliers/sites): where it is ordered from and paid, per procurement business unit.
 * Avro: finmesh.supplier.SupplierSite
 */
export interface SupplierSite {
  /** The ERP's id of the site (Fusion SupplierSiteId). */
  siteId: string;
  /** The site's code, as an ERP invoice names it (Fusion SupplierSite). */
  site: string;
  /** Procurement business unit the site belongs to (Fusion ProcurementBU). */
  procurementBusinessUnit: string | null;
  /** A pay site: invoices may be posted to it (SitePurposePayFlag). */
  pay: boolean;
  /** A purchasing site: orders may be placed with it (SitePurposePurchasingFlag). */
  purchasing: boolean;
  /** Not inactive as of the event (no InactiveDate in the past). */
  active: boolean;
}

/**
 * Lifecycle status of the supplier. INACTIVE is the reader default so a newer status never makes a supplier look usable.
 * Avro: finmesh.supplier.SupplierStatus
 */
export type SupplierStatus = 'ACTIVE' | 'BLOCKED' | 'INACTIVE';

/**
 * A tax registration of a party. The value is personal/business data: logs redact it.
 * Avro: finmesh.common.TaxId
 */
export interface TaxId {
  /** Kind of tax id. */
  scheme: TaxIdScheme;
  /** The registration number as issued, e.g. 'DE123456789'. */
  value: string;
  /** Issuing country, ISO 3166-1 alpha-2. */
  country: string;
}

/**
 * Kind of tax registration number. OTHER is the reader default for schemes added later.
 * Avro: finmesh.common.TaxIdScheme
 */
export type TaxIdScheme = 'VAT' | 'EIN' | 'GST' | 'ABN' | 'TIN' | 'OTHER';

/**
 * Tax summary of a document per tax code: the tax amount charged on taxableAmount at rate.
 * Avro: finmesh.common.TaxLine
 */
export interface TaxLine {
  /** Tax code of the legal entity's tax configuration. */
  taxCode: string;
  /**
   * Tax rate in percent (19.0000 = 19 %), decimal(7,4).
   * Decimal(7,4) as a canonical decimal string with 4 fraction digits.
   */
  rate: string;
  /** Net amount the tax is computed on. */
  taxableAmount: Money;
  /** Tax amount. */
  amount: Money;
}

/**
 * Price per unit of measure. Kept apart from Money because unit prices legitimately carry more fraction digits (e.g. 0.012345 EUR per screw) than booked amounts.
 * Avro: finmesh.common.UnitPrice
 */
export interface UnitPrice {
  /**
   * Price per unit, decimal(19,6).
   * Decimal(19,6) as a canonical decimal string with 6 fraction digits.
   */
  amount: string;
  /** ISO 4217 alphabetic currency code. */
  currency: string;
}

// ---- Event payloads ----

/**
 * A supplier was created or changed in the procurement platform. Carries the complete current supplier master record (state transfer), so a consumer can rebuild its copy from the latest event alone.
 * Contract: schemas/events/supplier/SupplierUpserted.v2.avsc (v2, BACKWARD_TRANSITIVE).
 * Avro: finmesh.supplier.SupplierUpserted
 */
export interface SupplierUpserted {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh supplier id; topic key. */
  supplierId: string;
  /** Source revision of the supplier record, increasing with every change; consumers ignore an upsert older than the revision they hold. */
  revision: number;
  /** The supplier's id in each platform, keyed by SourcePlatform symbol (e.g. {'ERP': '100234'}). */
  externalIds: Record<string, string>;
  /** Registered legal name; the payee name on payments. */
  legalName: string;
  /** Trading ('doing business as') name, when different from the legal name. */
  tradingName: string | null;
  /** Current status; BLOCKED suppliers' invoices raise SUPPLIER_BLOCKED exceptions. */
  status: SupplierStatus;
  /** Registered (legal) address. */
  registeredAddress: Address;
  /** Remittance address when different from the registered address. */
  remitToAddress: Address | null;
  /** Tax registrations of the supplier. */
  taxIds: TaxId[];
  /** Bank accounts payments may be sent to. */
  bankAccounts: BankAccount[];
  /** Default payment terms; a PO or invoice may override them. */
  paymentTerms: PaymentTerms;
  /** Default order/invoice currency, ISO 4217. */
  defaultCurrency: string;
  /** Accounts-receivable contact of the supplier, for remittance advices. */
  contactEmail: string | null;
  /** The supplier's ERP sites (since v2; empty in v1 events and for suppliers from platforms without sites). */
  sites: SupplierSite[];
}

/**
 * A supplier was blocked: depending on scope, no new POs, postings or payments may be made for it until SupplierUnblocked.
 * Contract: schemas/events/supplier/SupplierBlocked.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.supplier.SupplierBlocked
 */
export interface SupplierBlocked {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh supplier id; topic key. */
  supplierId: string;
  /** What the block stops. */
  scope: SupplierBlockScope;
  /** Block reason code of the source platform (e.g. 'SANCTIONS', 'BANK_DATA_UNVERIFIED'). */
  reasonCode: string;
  /** Free-text explanation. */
  reason: string | null;
  /** User or system that set the block. */
  blockedBy: string;
}

/**
 * A block on a supplier was lifted for the given scope.
 * Contract: schemas/events/supplier/SupplierUnblocked.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.supplier.SupplierUnblocked
 */
export interface SupplierUnblocked {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh supplier id; topic key. */
  supplierId: string;
  /** Which block was lifted. */
  scope: SupplierBlockScope;
  /** Free-text explanation. */
  reason: string | null;
  /** User or system that lifted the block. */
  unblockedBy: string;
}

/**
 * A purchase order was approved and sent to the supplier. Invoices are matched against it.
 * Contract: schemas/events/purchase-order/PurchaseOrderIssued.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.purchaseorder.PurchaseOrderIssued
 */
export interface PurchaseOrderIssued {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh purchase order id; topic key. */
  purchaseOrderId: string;
  /** PO document number as printed and quoted by the supplier on invoices. */
  poNumber: string;
  /** PO revision, 0 when issued; PurchaseOrderChanged increases it. */
  revision: number;
  /** finmesh supplier id of the vendor. */
  supplierId: string;
  /** Buyer or requester responsible for the order. */
  buyer: string | null;
  /**
   * Order date (calendar date).
   * Calendar date 'YYYY-MM-DD'.
   */
  orderDate: string;
  /** Order currency, ISO 4217; all amounts of the order are in it. */
  currency: string;
  /** Terms agreed for this order; null means the supplier's default terms. */
  paymentTerms: PaymentTerms | null;
  /** Delivery address; null for services. */
  shipTo: Address | null;
  /** Order lines (at least one). */
  lines: PurchaseOrderLine[];
  /** Order totals. */
  totals: DocumentTotals;
}

/**
 * A purchase order was revised. Carries the complete new line set (not a delta), so a consumer that missed a revision still ends up with the right order.
 * Contract: schemas/events/purchase-order/PurchaseOrderChanged.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.purchaseorder.PurchaseOrderChanged
 */
export interface PurchaseOrderChanged {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh purchase order id; topic key. */
  purchaseOrderId: string;
  /** PO document number. */
  poNumber: string;
  /** New revision number; consumers ignore a change older than the revision they hold. */
  revision: number;
  /** Why the order was changed (source platform reason text or code). */
  changeReason: string;
  /** User who changed the order. */
  changedBy: string | null;
  /** Terms after the change; null means the supplier's default terms. */
  paymentTerms: PaymentTerms | null;
  /** Delivery address after the change. */
  shipTo: Address | null;
  /** Complete line set after the change; a line absent here was cancelled. */
  lines: PurchaseOrderLine[];
  /** Order totals after the change. */
  totals: DocumentTotals;
}

/**
 * A purchase order was closed: no further receipts or invoices are expected against it.
 * Contract: schemas/events/purchase-order/PurchaseOrderClosed.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.purchaseorder.PurchaseOrderClosed
 */
export interface PurchaseOrderClosed {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh purchase order id; topic key. */
  purchaseOrderId: string;
  /** PO document number. */
  poNumber: string;
  /** Why the order was closed: COMPLETED = fully received and invoiced, SHORT_CLOSED = remaining quantity will not be delivered. */
  reason: PurchaseOrderCloseReason;
  /** Free-text comment. */
  comment: string | null;
  /** User or system that closed the order. */
  closedBy: string | null;
}

/**
 * Goods or services were received against a purchase order; feeds three-way matching. Travels on the purchase-order topic keyed by purchaseOrderId so it is ordered after the PO it refers to.
 * Contract: schemas/events/purchase-order/GoodsReceiptRecorded.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.purchaseorder.GoodsReceiptRecorded
 */
export interface GoodsReceiptRecorded {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh purchase order id the receipt is posted against; topic key. */
  purchaseOrderId: string;
  /** finmesh goods receipt id, unique per receipt document. */
  receiptId: string;
  /** Receipt document number in the source platform. */
  receiptNumber: string | null;
  /** finmesh supplier id of the vendor. */
  supplierId: string;
  /**
   * When the goods were received (UTC).
   * Timestamp (millisecond precision, UTC).
   */
  receivedAt: Date;
  /** User who recorded the receipt. */
  receivedBy: string | null;
  /** Received lines (at least one). */
  lines: GoodsReceiptLine[];
}

/**
 * A supplier invoice or credit note was captured and validated by the AP automation platform and is ready for matching.
 * Contract: schemas/events/invoice/InvoiceReceived.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.invoice.InvoiceReceived
 */
export interface InvoiceReceived {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh invoice id; topic key. */
  invoiceId: string;
  /** finmesh supplier id of the issuer. */
  supplierId: string;
  /** Invoice number assigned by the supplier; with supplierId the duplicate-invoice key. */
  supplierInvoiceNumber: string;
  /** Kind of document; credit notes carry negative amounts. */
  documentType: InvoiceDocumentType;
  /**
   * Invoice date as printed (calendar date); baseline date for payment terms.
   * Calendar date 'YYYY-MM-DD'.
   */
  invoiceDate: string;
  /**
   * Due date as printed; null when it is to be derived from the payment terms.
   * Calendar date 'YYYY-MM-DD'.
   */
  dueDate: string | null;
  /** finmesh purchase order id quoted on the invoice; null for non-PO invoices. */
  purchaseOrderId: string | null;
  /** Invoice currency, ISO 4217; all amounts of the invoice are in it. */
  currency: string;
  /** Terms printed on the invoice, when any. */
  paymentTerms: PaymentTerms | null;
  /** Invoice lines. */
  lines: LineItem[];
  /** Tax summary per tax code. */
  taxLines: TaxLine[];
  /** Invoice totals; gross is the amount payable. */
  totals: DocumentTotals;
  /** Link to the invoice image/PDF in the AP platform's archive. */
  documentUri: string | null;
}

/**
 * Every line of an invoice matched its purchase order (and receipts for THREE_WAY) within tolerance.
 * Contract: schemas/events/invoice/InvoiceMatched.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.invoice.InvoiceMatched
 */
export interface InvoiceMatched {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh invoice id; topic key. */
  invoiceId: string;
  /** finmesh supplier id. */
  supplierId: string;
  /** Purchase order the invoice was matched against. */
  purchaseOrderId: string;
  /** Strictest matching mode applied to the invoice. */
  matchType: MatchType;
  /** Per-line outcome. */
  lineResults: MatchLineResult[];
}

/**
 * An invoice failed matching or validation and needs an AP clerk's decision. Each reason carries the figures that explain it.
 * Contract: schemas/events/invoice/MatchExceptionRaised.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.invoice.MatchExceptionRaised
 */
export interface MatchExceptionRaised {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh invoice id; topic key. */
  invoiceId: string;
  /** Id of this exception; InvoiceApproved with mode OVERRIDE refers to it. */
  exceptionId: string;
  /** finmesh supplier id. */
  supplierId: string;
  /** Purchase order involved; null for non-PO invoices or PO_NOT_FOUND. */
  purchaseOrderId: string | null;
  /** Reasons, at least one. */
  reasons: MatchExceptionDetail[];
}

/**
 * An invoice was approved for posting, either automatically after a clean match or by a person overriding match exceptions.
 * Contract: schemas/events/invoice/InvoiceApproved.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.invoice.InvoiceApproved
 */
export interface InvoiceApproved {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh invoice id; topic key. */
  invoiceId: string;
  /** Approver user id, or the service name for AUTO approvals. */
  approvedBy: string;
  /** How the invoice was approved. */
  mode: ApprovalMode;
  /** Justification; required by policy (not by the schema) for OVERRIDE. */
  reason: string | null;
  /** exceptionIds of the MatchExceptionRaised events this approval overrides; empty for AUTO. */
  overriddenExceptionIds: string[];
}

/**
 * The invoice was posted to accounts payable in the ERP and is now a liability in the general ledger.
 * Contract: schemas/events/invoice/InvoicePosted.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.invoice.InvoicePosted
 */
export interface InvoicePosted {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh invoice id; topic key. */
  invoiceId: string;
  /** Id of the AP invoice document in the ERP. */
  erpDocumentId: string;
  /** Voucher / document number shown to users in the ERP. */
  erpDocumentNumber: string | null;
  /**
   * GL date the invoice was posted with (calendar date).
   * Calendar date 'YYYY-MM-DD'.
   */
  accountingDate: string;
  /** ERP fiscal period name, e.g. 'NOV-25'. */
  fiscalPeriod: string | null;
  /** Gross amount posted as liability, in the invoice currency. */
  postedAmount: Money;
}

/**
 * Posting the invoice to the ERP failed for good: the ERP rejected it (BUSINESS) or every retry of a transient failure was used up (TRANSIENT_EXHAUSTED).
 * Contract: schemas/events/invoice/InvoicePostingFailed.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.invoice.InvoicePostingFailed
 */
export interface InvoicePostingFailed {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh invoice id; topic key. */
  invoiceId: string;
  /** Kind of failure; drives who remediates. */
  failureClass: PostingFailureClass;
  /** ERP error code, when the ERP returned one. */
  erpCode: string | null;
  /** ERP error message or, for transient failures, the last error seen. */
  erpMessage: string;
  /** Number of posting attempts made. */
  attempts: number;
  /** Remediation state at the time of the event (OPEN when first raised). */
  remediationStatus: RemediationStatus;
}

/**
 * The ERP's validation of a posted invoice, as read back from it: validated, not (yet) validated, or on hold. A posted invoice is final for payment only once validated without holds.
 * Contract: schemas/events/invoice/InvoiceErpValidationReported.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.invoice.InvoiceErpValidationReported
 */
export interface InvoiceErpValidationReported {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh invoice id; topic key. */
  invoiceId: string;
  /** ERP invoice id (InvoicePosted.erpDocumentId). */
  erpDocumentId: string;
  /** Validation status as the ERP reports it. */
  validationStatus: ErpValidationStatus;
  /** Unreleased holds; empty when none. */
  holds: ErpInvoiceHold[];
  /**
   * The ERP's last update of the invoice that this report reflects (UTC).
   * Timestamp (millisecond precision, UTC).
   */
  reportedAt: Date;
}

/**
 * The invoice was voided or cancelled: in the AP platform (and then, if it had been posted, cancelled in the ERP by finmesh), or in the ERP itself. It leaves every open figure.
 * Contract: schemas/events/invoice/InvoiceCancelled.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.invoice.InvoiceCancelled
 */
export interface InvoiceCancelled {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh invoice id; topic key. */
  invoiceId: string;
  /** Platform on which the invoice was voided or cancelled. */
  origin: InvoiceCancellationOrigin;
  /**
   * When it was cancelled at its origin (UTC).
   * Timestamp (millisecond precision, UTC).
   */
  cancelledAt: Date;
  /** ERP invoice id when the invoice had been posted (the ERP cancellation applies to it); null when it never reached the ERP. */
  erpDocumentId: string | null;
  /** Reason given by the platform or the user. */
  reason: string | null;
}

/**
 * A payment was released to the bank by a payment run. One payment may settle several invoices, fully or partly.
 * Contract: schemas/events/payment/PaymentReleased.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.payment.PaymentReleased
 */
export interface PaymentReleased {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh payment id; topic key. */
  paymentId: string;
  /** Payment run (proposal) that released the payment. */
  paymentRunId: string;
  /** finmesh supplier id of the payee. */
  supplierId: string;
  /** Amount paid; equals the sum of the allocation amounts. */
  amount: Money;
  /** Payment instrument. */
  method: PaymentMethod;
  /**
   * Requested value (execution) date (calendar date).
   * Calendar date 'YYYY-MM-DD'.
   */
  valueDate: string;
  /** Masked reference of the payee bank account (BankAccount.maskedReference); never the full account number. */
  payeeBankAccountRef: string;
  /** Invoices settled by this payment (at least one). */
  allocations: PaymentAllocation[];
}

/**
 * The bank confirmed execution of a released payment (e.g. from a camt.054 / bank statement).
 * Contract: schemas/events/payment/PaymentConfirmed.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.payment.PaymentConfirmed
 */
export interface PaymentConfirmed {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh payment id; topic key. */
  paymentId: string;
  /** finmesh supplier id of the payee. */
  supplierId: string;
  /**
   * When the bank executed/booked the payment (UTC).
   * Timestamp (millisecond precision, UTC).
   */
  confirmedAt: Date;
  /** Bank's reference of the transaction (end-to-end id or bank transaction id). */
  bankReference: string;
  /** Amount the bank executed. */
  amount: Money;
  /** Invoices settled, as confirmed; reporting marks them paid. */
  allocations: PaymentAllocation[];
}

/**
 * A released payment was voided in the ERP (Fusion payables payment status Voided, with its VoidDate). What it settled is open again: reporting and invoice-sync reverse its allocations.
 * Contract: schemas/events/payment/PaymentVoided.v1.avsc (v1, BACKWARD_TRANSITIVE).
 * Avro: finmesh.payment.PaymentVoided
 */
export interface PaymentVoided {
  /** Event metadata: id, type, version, time, source, tracing and legal entity. */
  envelope: EventEnvelope;
  /** finmesh payment id; topic key. */
  paymentId: string;
  /** finmesh supplier id of the payee. */
  supplierId: string;
  /**
   * Void date as the ERP records it (calendar date).
   * Calendar date 'YYYY-MM-DD'.
   */
  voidDate: string;
  /** Amount of the voided payment. */
  amount: Money;
  /** The allocations the payment had settled, now reversed (at least one). */
  allocations: PaymentAllocation[];
  /** Why it was voided, when the ERP says. */
  reason: string | null;
}

/** Event name -> payload type of its newest contract version. */
export interface FinmeshEventMap {
  SupplierUpserted: SupplierUpserted;
  SupplierBlocked: SupplierBlocked;
  SupplierUnblocked: SupplierUnblocked;
  PurchaseOrderIssued: PurchaseOrderIssued;
  PurchaseOrderChanged: PurchaseOrderChanged;
  PurchaseOrderClosed: PurchaseOrderClosed;
  GoodsReceiptRecorded: GoodsReceiptRecorded;
  InvoiceReceived: InvoiceReceived;
  InvoiceMatched: InvoiceMatched;
  MatchExceptionRaised: MatchExceptionRaised;
  InvoiceApproved: InvoiceApproved;
  InvoicePosted: InvoicePosted;
  InvoicePostingFailed: InvoicePostingFailed;
  InvoiceErpValidationReported: InvoiceErpValidationReported;
  InvoiceCancelled: InvoiceCancelled;
  PaymentReleased: PaymentReleased;
  PaymentConfirmed: PaymentConfirmed;
  PaymentVoided: PaymentVoided;
}

/** Any finmesh event payload. */
export type FinmeshEvent = FinmeshEventMap[keyof FinmeshEventMap];

/** Newest contract version per event: the `eventVersion` producers put in the envelope. */
export const LATEST_EVENT_VERSIONS: Readonly<Record<keyof FinmeshEventMap, number>> = {
  SupplierUpserted: 2,
  SupplierBlocked: 1,
  SupplierUnblocked: 1,
  PurchaseOrderIssued: 1,
  PurchaseOrderChanged: 1,
  PurchaseOrderClosed: 1,
  GoodsReceiptRecorded: 1,
  InvoiceReceived: 1,
  InvoiceMatched: 1,
  MatchExceptionRaised: 1,
  InvoiceApproved: 1,
  InvoicePosted: 1,
  InvoicePostingFailed: 1,
  InvoiceErpValidationReported: 1,
  InvoiceCancelled: 1,
  PaymentReleased: 1,
  PaymentConfirmed: 1,
  PaymentVoided: 1,
};

/** Precision and scale of every decimal field of the contracts, by `Type.field` (the money module reads its scales here). */
export const DECIMAL_FIELDS = {
  'GoodsReceiptLine.quantityReceived': { precision: 19, scale: 4 },
  'LineItem.quantity': { precision: 19, scale: 4 },
  'MatchLineResult.invoicedQuantity': { precision: 19, scale: 4 },
  'MatchLineResult.orderedQuantity': { precision: 19, scale: 4 },
  'MatchLineResult.receivedQuantity': { precision: 19, scale: 4 },
  'Money.amount': { precision: 19, scale: 4 },
  'PaymentTerms.discountPercent': { precision: 7, scale: 4 },
  'PurchaseOrderLine.quantity': { precision: 19, scale: 4 },
  'TaxLine.rate': { precision: 7, scale: 4 },
  'UnitPrice.amount': { precision: 19, scale: 6 },
} as const;
