import { nameBasedId } from '@finmesh/adapters';
import type { CaptureVersion } from './invoice-store';

/**
 * A correction of an invoice that is already in the ERP (POSTED or ERP_HOLD): Fusion takes no
 * changed invoice, so the correction is a cancellation of the posted document plus a new invoice.
 *
 * What the Oracle documents say, and what is chosen here:
 *  - "Cancel an invoice" (POST …/invoices/action/cancelInvoice,
 *    https://docs.oracle.com/en/cloud/saas/financials/24d/farfa/op-invoices-action-cancelinvoice-post.html):
 *    "all invoice amounts are set to zero, and the invoice can't be edited or submitted for
 *    processing". The canceled invoice stays in Payables (it is listed with
 *    `ValidationStatus=Canceled`, "Find Invoices that are Canceled",
 *    https://docs.oracle.com/en/cloud/saas/financials/23d/farfa/Find_Invoices_that_Are_Canceled.html).
 *  - The invoice number: "Must be a unique number for the supplier. If you assign a duplicate
 *    invoice number for the supplier, the import process doesn't create an invoice" (Invoice Open
 *    Interface Table AP_INVOICES_INTERFACE, INVOICE_NUM,
 *    https://docs.oracle.com/en/cloud/saas/financials/24c/fappp/invoice-open-interface-table-ap-invoices-interface.html).
 *    No Oracle page found says that a canceled invoice's number is freed for the same supplier
 *    (the REST resource's own duplicate check is not described there either). UNCONFIRMED, so the
 *    replacement is NOT posted under the same number: it gets a deterministic suffix,
 *    `<supplier invoice number>-R<n>`, n = 1 for the first replacement, 2 for a replacement of a
 *    replacement, … (`erpInvoiceNumberOf`). The canonical invoice keeps the supplier's number;
 *    only what is sent to the ERP (create, lookup, cancel) carries the suffix. Unconfirmed as
 *    well: that the suffixed number fits Fusion's InvoiceNumber length for every supplier number
 *    (a number too long is refused by Fusion and shows as POSTING_FAILED).
 *  - Paid or partly paid invoices: Fusion cancels no invoice with payments (see
 *    posting/erp-cancellation.service.ts); the correction of such an invoice would be a credit
 *    memo, which finmesh does not create (out of scope): refused with 409.
 */
export const REPLACEMENT_NUMBER_SUFFIX = '-R';

/** The finmesh id of the invoice that replaces `supersededInvoiceId` with the capture at `version`. */
export function replacementInvoiceId(supersededInvoiceId: string, versionText: string): string {
  return nameBasedId('invoice', `${supersededInvoiceId}#replacement#${versionText}`);
}

/** The ERP invoice number of the `generation`-th replacement (0 = the original: the supplier's number). */
export function erpInvoiceNumberOf(supplierInvoiceNumber: string, generation: number): string {
  return generation === 0 ? supplierInvoiceNumber : `${supplierInvoiceNumber}${REPLACEMENT_NUMBER_SUFFIX}${generation}`;
}

/** Why the superseded invoice was cancelled (InvoiceCancelled.reason, invoices.cancellation_reason). */
export function supersededReason(version: CaptureVersion, versionText: string, replacementId: string): string {
  return `corrected in AP after posting: superseded by capture version ${versionText} (updated-at ${version.updatedAt.toISOString()}), replaced by invoice ${replacementId}`;
}
