import { multiplyDecimals, sumDecimals } from '@finmesh/contracts';
import type { DemoItem, DemoLegalEntity, DemoSupplier } from './demo-master-data';

/**
 * Payloads in the connected platforms' own shapes (the adapters in libs/adapters map them):
 * Oracle Fusion suppliers, Coupa purchase orders, receiving transactions and invoices (the AP
 * capture). Money and quantities are decimal strings.
 */

export interface DemoPoLine {
  readonly item: DemoItem;
  readonly quantity: string;
}

export interface DemoPurchaseOrder {
  readonly number: string;
  readonly coupaId: number;
  readonly supplier: DemoSupplier;
  readonly legalEntity: DemoLegalEntity;
  readonly lines: readonly DemoPoLine[];
}

/**
 * Fraction digits of the amounts in the platforms' payloads: they print cents; finmesh's mappers
 * bring them to the contract's scale.
 */
export const PLATFORM_AMOUNT_SCALE = 2;

export function fusionSupplier(s: DemoSupplier, le: DemoLegalEntity, options: { hold?: string } = {}): Record<string, unknown> {
  const numericId = 300000047000000 + Number(s.number);
  return {
    SupplierId: numericId,
    Supplier: s.name,
    SupplierNumber: s.number,
    TaxOrganizationType: 'Corporation',
    SupplierType: 'Supplier',
    InactiveDate: null,
    BusinessRelationship: 'Spend Authorized',
    TaxpayerCountry: le.country,
    TaxRegistrationNumber: s.taxRegistration,
    HoldFlag: options.hold !== undefined,
    HoldReason: options.hold ?? null,
    HoldBy: options.hold !== undefined ? 'AP.MANAGER' : null,
    CreationDate: '2024-01-15T09:00:00.000+00:00',
    LastUpdateDate: new Date().toISOString(),
    addresses: [
      {
        SupplierAddressId: numericId + 10,
        AddressName: 'HQ',
        CountryCode: le.country,
        AddressLine1: '1 Commerce Street',
        City: s.city,
        PostalCode: '10001',
        AddressPurposeOrderingFlag: true,
        AddressPurposeRemitToFlag: true,
      },
    ],
    sites: [
      {
        SupplierSiteId: numericId + 20,
        SupplierSite: 'MAIN',
        ProcurementBU: le.businessUnit,
        SupplierAddressId: numericId + 10,
        SupplierAddressName: 'HQ',
        SitePurposePurchasingFlag: true,
        SitePurposePayFlag: true,
        InactiveDate: null,
        HoldAllNewPurchasingDocumentsFlag: false,
        PaymentTerms: s.terms,
        InvoiceCurrencyCode: le.currency,
        PaymentCurrencyCode: le.currency,
        HoldAllInvoicesFlag: false,
        HoldAllPaymentsFlag: false,
      },
    ],
    bankAccounts: [
      {
        BankAccountId: numericId + 30,
        AccountName: s.name,
        IBAN: 'iban' in s.bank ? s.bank.iban : null,
        AccountNumber: 'accountNumber' in s.bank ? s.bank.accountNumber : null,
        ...('routingNumber' in s.bank ? { BranchNumber: s.bank.routingNumber } : {}),
        // ISO 9362 shape with the account's country (the demo bank has no real BIC).
        SWIFTCode: `DEMO${le.country}2X`,
        CountryCode: le.country,
        CurrencyCode: le.currency,
      },
    ],
  };
}

/** Coupa payment terms: '2/10 Net 30' → 30 days net, 2 % discount within 10 days. */
function paymentTerm(code: string): Record<string, unknown> {
  const m = /^(?:(\d+(?:\.\d+)?)\/(\d+) )?Net (\d+)$/.exec(code);
  if (!m) throw new Error(`unsupported demo payment term '${code}'`);
  return {
    id: 1,
    code,
    'days-for-net-payment': Number(m[3]),
    'days-for-discount-payment': m[2] ? Number(m[2]) : null,
    'discount-rate': m[1] ?? null,
  };
}

function coupaAccount(le: DemoLegalEntity, item: DemoItem, id: number): Record<string, unknown> {
  return {
    id,
    code: `${le.code}-${item.glAccount}-${item.costCenter}`,
    'account-type': { id: 2, name: le.code },
    'segment-1': le.code,
    'segment-2': item.glAccount,
    'segment-3': item.costCenter,
  };
}

export function coupaPurchaseOrder(po: DemoPurchaseOrder, version = 1): Record<string, unknown> {
  const created = new Date().toISOString();
  return {
    id: po.coupaId,
    'created-at': created,
    'updated-at': created,
    'po-number': po.number,
    status: 'issued',
    version,
    // Coupa's internal revision moves on every change; one per version is enough for the demo.
    'internal-revision': version,
    type: 'ExternalOrderHeader',
    currency: { id: 1, code: po.legalEntity.currency },
    supplier: { id: Number(po.supplier.number), name: po.supplier.name, number: po.supplier.number },
    'payment-term': paymentTerm(po.supplier.terms),
    'ship-to-address': {
      id: 77,
      name: `${po.legalEntity.code} main site`,
      street1: '1 Plant Road',
      city: po.supplier.city,
      'postal-code': '10001',
      country: { id: 1, code: po.legalEntity.country, name: po.legalEntity.country },
    },
    'created-by': { id: 15, login: 'buyer.demo' },
    'order-lines': po.lines.map((l, i) => ({
      id: po.coupaId * 100 + i + 1,
      'line-num': String(i + 1),
      type: 'OrderQuantityLine',
      description: l.item.description,
      quantity: l.quantity,
      price: l.item.unitPrice,
      total: multiplyDecimals(l.quantity, l.item.unitPrice, PLATFORM_AMOUNT_SCALE),
      uom: { code: l.item.uom },
      item: { id: 500 + i, 'item-number': l.item.code },
      'need-by-date': null,
      'receipt-required': l.item.receiptRequired,
      'match-type': l.item.receiptRequired ? '3-way' : '2-way',
      account: coupaAccount(po.legalEntity, l.item, po.coupaId * 10 + i),
    })),
  };
}

/** Receiving transactions for some lines of a PO (line number → quantity received). */
export function coupaReceipt(po: DemoPurchaseOrder, received: ReadonlyMap<number, string>, seq: number): Record<string, unknown>[] {
  const now = new Date().toISOString();
  return [...received].map(([lineNumber, quantity], k) => {
    const line = po.lines[lineNumber - 1];
    if (!line) throw new Error(`PO ${po.number} has no line ${lineNumber}`);
    return {
      id: seq * 100 + k,
      'created-at': now,
      'updated-at': now,
      type: 'InventoryReceipt',
      status: 'created',
      'transaction-date': now,
      quantity,
      price: line.item.unitPrice,
      total: multiplyDecimals(quantity, line.item.unitPrice, PLATFORM_AMOUNT_SCALE),
      uom: { id: 1, code: line.item.uom },
      'created-by': { id: 41, login: 'warehouse.demo' },
      'order-line': {
        id: po.coupaId * 100 + lineNumber,
        'line-num': String(lineNumber),
        'order-header-id': po.coupaId,
        'order-header-number': po.number,
        supplier: { id: Number(po.supplier.number), name: po.supplier.name, number: po.supplier.number },
        account: coupaAccount(po.legalEntity, line.item, po.coupaId * 10 + lineNumber - 1),
      },
    };
  });
}

export interface DemoInvoiceLine {
  readonly poLineNumber: number;
  readonly quantity: string;
  readonly unitPrice: string;
}

/** A Coupa invoice (Invoices API shape) against a PO, tax at header level. */
export function capturedInvoice(
  po: DemoPurchaseOrder,
  invoice: { coupaId: number; invoiceNumber: string; invoiceDate: string; lines: readonly DemoInvoiceLine[] },
): Record<string, unknown> {
  const le = po.legalEntity;
  const lines = invoice.lines.map((l, i) => {
    const item = po.lines[l.poLineNumber - 1]!.item;
    return {
      'line-num': i + 1,
      type: 'InvoiceQuantityLine',
      item: { 'item-number': item.code },
      description: item.description,
      quantity: l.quantity,
      uom: { code: item.uom },
      price: l.unitPrice,
      total: multiplyDecimals(l.quantity, l.unitPrice, PLATFORM_AMOUNT_SCALE),
      'tax-code': { code: le.standardTaxCode },
      'po-number': po.number,
      'order-line-num': String(l.poLineNumber),
      account: coupaAccount(le, item, po.coupaId * 10 + l.poLineNumber - 1),
    };
  });
  const net = sumDecimals(lines.map((l) => l.total), PLATFORM_AMOUNT_SCALE);
  const tax = multiplyDecimals(net, le.standardTaxRate === '0' ? '0' : `0.${le.standardTaxRate.padStart(2, '0')}`, PLATFORM_AMOUNT_SCALE);
  const now = new Date().toISOString();
  return {
    id: invoice.coupaId,
    'created-at': now,
    'updated-at': now,
    'invoice-number': invoice.invoiceNumber,
    'invoice-date': invoice.invoiceDate,
    'document-type': 'Invoice',
    status: 'pending_approval',
    exported: false,
    currency: { code: le.currency },
    supplier: { id: Number(po.supplier.number), name: po.supplier.name, number: po.supplier.number },
    'account-type': { id: 2, name: le.code },
    'line-level-taxation': false,
    'tax-code': le.standardTaxCode,
    'tax-rate': le.standardTaxRate,
    'tax-amount': tax,
    'gross-total': sumDecimals([net, tax], PLATFORM_AMOUNT_SCALE),
    'image-scan-url': `https://ap.example.com/archive/${invoice.coupaId}.pdf`,
    'invoice-lines': lines,
  };
}
