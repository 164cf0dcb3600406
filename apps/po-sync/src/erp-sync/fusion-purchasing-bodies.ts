/**
 * Fusion Procurement and Receiving request bodies for what po-sync creates in the ERP.
 *
 * Resources (Oracle Fusion Cloud Procurement / SCM REST API, 11.13.18.05), as the ERP simulator
 * implements them (tools/erp-simulator README, "Purchasing and receiving"):
 *  - `POST /draftPurchaseOrders` (Purchase Orders > Draft Purchase Orders: "Create one draft
 *    purchase order"): OrderNumber, ProcurementBU, Supplier / SupplierNumber, SupplierSite, Buyer,
 *    CurrencyCode, Description, `lines[]` (LineNumber, LineType, ItemDescription, Quantity, UOM,
 *    Price, `schedules[]` (ScheduleNumber, Quantity, NeedByDate, `distributions[]`
 *    (DistributionNumber, Quantity, POChargeAccount))), then
 *    `POST /draftPurchaseOrders/{id}/action/submit`; the order is then read as `purchaseOrders`.
 *  - `POST /receivingReceiptRequests` (Receipts > Receipt Requests: "Create one receipt for one
 *    purchase order"): header ReceiptSourceCode, BusinessUnit, VendorName, VendorNumber and
 *    `lines[]` with SourceDocumentCode PO, TransactionType RECEIVE, AutoTransactCode DELIVER,
 *    DocumentNumber (the PO number), DocumentLineNumber, DocumentScheduleNumber, Quantity,
 *    UnitOfMeasure.
 *
 * Decided here / unconfirmed:
 *  - OrderNumber is procurement's PO number, so `purchaseOrders?q=OrderNumber='…'` finds an order
 *    created by an earlier attempt (a retry never creates it twice).
 *  - ProcurementBU / BusinessUnit: the legal entity's name, else its code (as invoice-sync posts
 *    invoices); a real estate maps legal entities to business units in configuration.
 *  - One schedule and one distribution per line, charged to `<company>-<cost center>-<GL account>`
 *    (the combination invoice-sync uses); a line without GL account sends no POChargeAccount.
 *  - Amounts and quantities are decimal strings, as in Oracle's examples.
 *  - ShipmentNumber on the receipt header (unconfirmed in an Oracle example: a receipt request
 *    header attribute) carries finmesh's receipt reference, so an earlier attempt's receipt is
 *    found with `q=ShipmentNumber='…'`. OrganizationCode (the receiving inventory organization)
 *    is not known to finmesh and not sent.
 *  - Only receipts (positive quantities) are sent: returns and voids (negative quantities) would
 *    need TransactionType RETURN TO VENDOR / CORRECT against the parent receipt transaction,
 *    which neither finmesh nor the simulator implements yet; such lines are left out and reported.
 */
import { createHash } from 'node:crypto';
import { decimal, type GoodsReceiptRecorded, type LegalEntityRef, type PurchaseOrderIssued } from '@finmesh/contracts';

export interface FusionDraftPurchaseOrderBody {
  readonly OrderNumber: string;
  readonly ProcurementBU: string;
  readonly Supplier?: string;
  readonly SupplierNumber: string;
  readonly SupplierSite?: string;
  readonly Buyer?: string;
  readonly CurrencyCode: string;
  readonly Description: string;
  readonly lines: readonly {
    readonly LineNumber: number;
    readonly LineType: 'Goods';
    readonly ItemDescription: string;
    readonly Quantity: string;
    readonly UOM: string;
    readonly Price: string;
    readonly schedules: readonly {
      readonly ScheduleNumber: number;
      readonly Quantity: string;
      readonly NeedByDate?: string;
      readonly distributions: readonly { readonly DistributionNumber: number; readonly Quantity: string; readonly POChargeAccount?: string }[];
    }[];
  }[];
}

export interface FusionReceiptRequestBody {
  readonly ReceiptSourceCode: 'VENDOR';
  readonly BusinessUnit: string;
  readonly VendorName?: string;
  readonly VendorNumber: string;
  readonly ShipmentNumber: string;
  readonly lines: readonly {
    readonly ReceiptSourceCode: 'VENDOR';
    readonly SourceDocumentCode: 'PO';
    readonly TransactionType: 'RECEIVE';
    readonly AutoTransactCode: 'DELIVER';
    readonly DocumentNumber: string;
    readonly DocumentLineNumber: number;
    readonly DocumentScheduleNumber: 1;
    readonly Quantity: string;
    readonly UnitOfMeasure: string;
  }[];
}

export function businessUnitOf(le: LegalEntityRef): string {
  return le.name ?? le.code;
}

export function draftPurchaseOrderBody(
  po: Omit<PurchaseOrderIssued, 'envelope'>,
  facts: { legalEntity: LegalEntityRef; supplierNumber: string; supplierName: string | null; supplierSite: string | null },
): FusionDraftPurchaseOrderBody {
  const le = facts.legalEntity;
  return {
    OrderNumber: po.poNumber,
    ProcurementBU: businessUnitOf(le),
    ...(facts.supplierName ? { Supplier: facts.supplierName } : {}),
    SupplierNumber: facts.supplierNumber,
    ...(facts.supplierSite ? { SupplierSite: facts.supplierSite } : {}),
    ...(po.buyer ? { Buyer: po.buyer } : {}),
    CurrencyCode: po.currency,
    Description: `finmesh purchase order ${po.purchaseOrderId}`,
    lines: po.lines.map((l) => ({
      LineNumber: l.lineNumber,
      LineType: 'Goods' as const,
      ItemDescription: l.description,
      Quantity: plain(l.quantity),
      UOM: l.unitOfMeasure,
      Price: plain(l.unitPrice.amount),
      schedules: [
        {
          ScheduleNumber: 1,
          Quantity: plain(l.quantity),
          ...(l.needByDate ? { NeedByDate: l.needByDate } : {}),
          distributions: [
            { DistributionNumber: 1, Quantity: plain(l.quantity), ...(l.glAccount ? { POChargeAccount: `${le.code}-${l.costCenter.code}-${l.glAccount}` } : {}) },
          ],
        },
      ],
    })),
  };
}

/** finmesh's reference of a receipt in the ERP (ShipmentNumber): short (30 characters) and derived from the receipt id only. */
export function receiptReference(receiptId: string): string {
  return `FM${createHash('sha256').update(receiptId).digest('hex').slice(0, 28).toUpperCase()}`;
}

/** The receipt request for the receipt's positive lines, and the lines left out (returns, voids). */
export function receiptRequestBody(
  r: Omit<GoodsReceiptRecorded, 'envelope'>,
  facts: { poNumber: string; legalEntity: LegalEntityRef; supplierNumber: string; supplierName: string | null },
): { body: FusionReceiptRequestBody | undefined; leftOut: readonly { poLineNumber: number; quantity: string }[] } {
  const sent = r.lines.filter((l) => decimal(l.quantityReceived).isPositive());
  const leftOut = r.lines.filter((l) => !decimal(l.quantityReceived).isPositive()).map((l) => ({ poLineNumber: l.poLineNumber, quantity: l.quantityReceived }));
  if (sent.length === 0) return { body: undefined, leftOut };
  return {
    body: {
      ReceiptSourceCode: 'VENDOR',
      BusinessUnit: businessUnitOf(facts.legalEntity),
      ...(facts.supplierName ? { VendorName: facts.supplierName } : {}),
      VendorNumber: facts.supplierNumber,
      ShipmentNumber: receiptReference(r.receiptId),
      lines: sent.map((l) => ({
        ReceiptSourceCode: 'VENDOR' as const,
        SourceDocumentCode: 'PO' as const,
        TransactionType: 'RECEIVE' as const,
        AutoTransactCode: 'DELIVER' as const,
        DocumentNumber: facts.poNumber,
        DocumentLineNumber: l.poLineNumber,
        DocumentScheduleNumber: 1 as const,
        Quantity: plain(l.quantityReceived),
        UnitOfMeasure: l.unitOfMeasure,
      })),
    },
    leftOut,
  };
}

/** A canonical decimal string without trailing zeros ("600.0000" -> "600"), as Oracle's examples write them. */
function plain(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}
