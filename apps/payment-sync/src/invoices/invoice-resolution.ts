/**
 * Finds the finmesh invoice each related invoice of a Fusion payment pays.
 *
 * - With an ERP InvoiceId: the posted invoice whose erpDocumentId it is. The id is authoritative;
 *   there is no fall-back to the number (the ERP may hold a double posting under one number).
 * - Without: the posted invoice with that supplier invoice number of that supplier (finmesh
 *   supplier id = name-based id of the Fusion SupplierNumber, the convention of the adapters).
 * Not found -> unknown (the payment is parked); found more than once -> ambiguous (refused).
 */
import { type FusionPayment, type FusionRelatedInvoice, nameBasedId } from '@finmesh/adapters';
import type { LegalEntityRef } from '@finmesh/contracts';
import type { UnitOfWork } from '../payments/unit-of-work';
import { payableInvoices, type PayableInvoiceRow } from './payable-invoice-store';

export interface PayableInvoice {
  readonly invoiceId: string;
  readonly supplierId: string | null;
  readonly supplierInvoiceNumber: string | null;
  readonly erpDocumentId: string;
  readonly grossAmount: string;
  readonly amountPaid: string;
  readonly currency: string;
  readonly legalEntity: LegalEntityRef;
  readonly correlationId: string;
}

export interface UnknownInvoice {
  readonly related: FusionRelatedInvoice;
  /** Reference the parked payment waits for: 'erp:<InvoiceId>' or 'number:<InvoiceNumber>'. */
  readonly awaiting: string;
  /** Received by finmesh but not posted to the ERP yet (as far as finmesh knows). */
  readonly receivedNotPosted: boolean;
}

export interface InvoiceResolution {
  readonly resolved: readonly { readonly related: FusionRelatedInvoice; readonly invoice: PayableInvoice }[];
  readonly unknown: readonly UnknownInvoice[];
  readonly ambiguous: readonly { readonly related: FusionRelatedInvoice; readonly invoiceIds: readonly string[] }[];
}

export function supplierIdOf(supplierNumber: string): string {
  return nameBasedId('supplier', supplierNumber);
}

export function awaitingKeyOf(related: FusionRelatedInvoice): string {
  return related.erpInvoiceId !== null ? `erp:${related.erpInvoiceId}` : `number:${related.invoiceNumber}`;
}

/**
 * Reads (and, with `lock`, row-locks in invoice id order, so concurrent payments of the same
 * invoices serialise instead of deadlocking) the invoices a payment references.
 */
export async function resolveInvoices(uow: UnitOfWork, payment: FusionPayment, options: { lock: boolean }): Promise<InvoiceResolution> {
  const supplierId = supplierIdOf(payment.supplierNumber);
  const resolved: { related: FusionRelatedInvoice; invoice: PayableInvoice }[] = [];
  const unknown: UnknownInvoice[] = [];
  const ambiguous: { related: FusionRelatedInvoice; invoiceIds: string[] }[] = [];
  for (const related of payment.relatedInvoices) {
    const rows =
      related.erpInvoiceId !== null
        ? await payableInvoices.withErpDocumentId(uow, related.erpInvoiceId)
        : await payableInvoices.withSupplierInvoiceNumber(uow, related.invoiceNumber, supplierId);
    if (rows.length === 1) {
      resolved.push({ related, invoice: toInvoice(rows[0] as PayableInvoiceRow) });
    } else if (rows.length > 1) {
      ambiguous.push({ related, invoiceIds: rows.map((r) => r.invoice_id) });
    } else {
      unknown.push({ related, awaiting: awaitingKeyOf(related), receivedNotPosted: await payableInvoices.isReceived(uow, related.invoiceNumber, supplierId) });
    }
  }
  if (options.lock && unknown.length === 0 && ambiguous.length === 0) {
    const ids = [...new Set(resolved.map((r) => r.invoice.invoiceId))].sort();
    // Re-read under the lock: amounts paid may have changed while we waited for it.
    const locked = await payableInvoices.lockForPayment(uow, ids);
    const byId = new Map(locked.map((r) => [r.invoice_id, toInvoice(r)]));
    return { resolved: resolved.map((r) => ({ related: r.related, invoice: byId.get(r.invoice.invoiceId) ?? r.invoice })), unknown, ambiguous };
  }
  return { resolved, unknown, ambiguous };
}

function toInvoice(r: PayableInvoiceRow): PayableInvoice {
  return {
    invoiceId: r.invoice_id,
    supplierId: r.supplier_id,
    supplierInvoiceNumber: r.supplier_invoice_number,
    erpDocumentId: r.erp_document_id,
    grossAmount: r.gross_amount,
    amountPaid: r.amount_paid,
    currency: r.currency,
    legalEntity: r.legal_entity,
    correlationId: r.correlation_id,
  };
}

/** Reason of a parked payment, naming every unknown invoice. */
export function parkingReason(unknown: readonly UnknownInvoice[]): string {
  const notPosted = unknown.filter((u) => u.receivedNotPosted).map(describe);
  const notKnown = unknown.filter((u) => !u.receivedNotPosted).map(describe);
  const parts: string[] = [];
  if (notKnown.length > 0) parts.push(`invoice(s) unknown to finmesh: ${notKnown.join(', ')}`);
  if (notPosted.length > 0) parts.push(`invoice(s) received but not posted yet: ${notPosted.join(', ')}`);
  return parts.join('; ');
}

function describe(u: UnknownInvoice): string {
  return u.related.erpInvoiceId !== null ? `${u.related.invoiceNumber} (ERP InvoiceId ${u.related.erpInvoiceId})` : u.related.invoiceNumber;
}
