import type { InvoiceReceived } from '@finmesh/contracts';
import type { AuditSummary } from '@finmesh/messaging';
import type { ServiceAuditEntry } from '@finmesh/service-kit';
import type { InvoiceLifecycleStatus } from './invoice-status';
import type { StoredInvoice } from './invoice-store';

/** The audited view of an invoice: status, parties and amounts (decimal strings), never tax ids or bank data. */
export function invoiceAuditSummary(stored: StoredInvoice): AuditSummary {
  return { ...receivedInvoiceSummary(stored.invoice), status: stored.status, grossAmount: stored.grossAmount, settledAmount: stored.settledAmount };
}

export function receivedInvoiceSummary(invoice: InvoiceReceived): AuditSummary {
  return {
    status: 'RECEIVED',
    supplierId: invoice.supplierId,
    supplierInvoiceNumber: invoice.supplierInvoiceNumber,
    purchaseOrderId: invoice.purchaseOrderId,
    currency: invoice.currency,
    grossAmount: invoice.totals.gross.amount,
  };
}

/**
 * One invoice transition from `stored` to `status` (plus what the transition adds, e.g. the
 * approval mode or the exception's reason codes), ready for AuditTrail.record.
 */
export function invoiceTransition(
  stored: StoredInvoice,
  action: string,
  after: { readonly status: InvoiceLifecycleStatus } & AuditSummary,
  causingEventId: string | null,
  actor?: string,
): ServiceAuditEntry {
  const before = invoiceAuditSummary(stored);
  return { entityType: 'invoice', entityId: stored.invoiceId, action, actor, before, after: { ...before, ...after }, causingEventId, correlationId: stored.correlationId };
}

/** A newly stored invoice (no before). */
export function invoiceReceivedEntry(invoice: InvoiceReceived, causingEventId: string, actor?: string): ServiceAuditEntry {
  return {
    entityType: 'invoice', entityId: invoice.invoiceId, action: 'invoice.received', actor, before: null, after: receivedInvoiceSummary(invoice),
    causingEventId, correlationId: invoice.envelope.correlationId, occurredAt: invoice.envelope.occurredAt,
  };
}
