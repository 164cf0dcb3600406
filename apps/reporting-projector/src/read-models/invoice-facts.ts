import {
  type InvoiceApproved,
  type InvoiceMatched,
  type InvoicePosted,
  type InvoicePostingFailed,
  type InvoiceReceived,
  type MatchExceptionRaised, isoTimestamp, type InvoiceCancelled, type InvoiceErpValidationReported } from '@finmesh/contracts';
import { inSequence, type MaybePromise, type ProjectedEvent, type RowStore } from '@finmesh/projection';
import { mergeInto } from './fact-rows';
import { firstOccurrenceWins, lastWriterWins } from './merge-rules';
import { INVOICE_LINES, INVOICES, MATCH_EXCEPTIONS } from './reporting-tables';

/**
 * Invoice milestones keep their FIRST occurrence (received, matched, approved, posted: cycle times
 * run from the first time an invoice got there); the header and lines keep the latest capture.
 */
export function projectInvoiceReceived(store: RowStore, e: ProjectedEvent<InvoiceReceived>): MaybePromise<void> {
  const v = e.value;
  return inSequence([
    () =>
      mergeInto(store, INVOICES, { invoice_id: v.invoiceId }, e, (row) => {
        lastWriterWins(row, 'header_version', e, {
          supplier_id: v.supplierId,
          supplier_invoice_number: v.supplierInvoiceNumber,
          legal_entity: v.envelope.legalEntity.code,
          document_type: v.documentType,
          currency: v.currency,
          invoice_date: v.invoiceDate,
          due_date: v.dueDate,
          purchase_order_id: v.purchaseOrderId,
          net_amount: v.totals.net.amount,
          tax_amount: v.totals.tax.amount,
          gross_amount: v.totals.gross.amount,
          terms_net_days: v.paymentTerms?.netDays ?? null,
        });
        firstOccurrenceWins(row, 'received_version', e, { received_at: e.occurredAt });
      }),
    ...v.lines.map(
      (line) => () =>
        mergeInto(store, INVOICE_LINES, { invoice_id: v.invoiceId, line_number: line.lineNumber }, e, (row) =>
          lastWriterWins(row, 'header_version', e, {
            purchase_order_id: v.purchaseOrderId,
            po_line_number: line.poLineNumber,
            quantity: line.quantity,
            amount: line.amount.amount,
            currency: line.amount.currency,
            cost_center: line.costCenter?.code ?? null,
          }),
        ),
    ),
  ]);
}

export function projectInvoiceMatched(store: RowStore, e: ProjectedEvent<InvoiceMatched>): MaybePromise<void> {
  return mergeInto(store, INVOICES, { invoice_id: e.value.invoiceId }, e, (row) =>
    firstOccurrenceWins(row, 'matched_version', e, { matched_at: e.occurredAt, match_type: e.value.matchType }),
  );
}

export function projectMatchExceptionRaised(store: RowStore, e: ProjectedEvent<MatchExceptionRaised>): MaybePromise<void> {
  const v = e.value;
  const reasons = [...new Set(v.reasons.map((r) => r.code))].sort().join(',');
  return mergeInto(store, MATCH_EXCEPTIONS, { exception_id: v.exceptionId }, e, (row) =>
    firstOccurrenceWins(row, 'raised_version', e, {
      invoice_id: v.invoiceId,
      supplier_id: v.supplierId,
      legal_entity: v.envelope.legalEntity.code,
      purchase_order_id: v.purchaseOrderId,
      reason_codes: reasons,
      raised_at: e.occurredAt,
    }),
  );
}

/** An OVERRIDE approval resolves the exceptions it names (an operator's decision). */
export function projectInvoiceApproved(store: RowStore, e: ProjectedEvent<InvoiceApproved>): MaybePromise<void> {
  const v = e.value;
  return inSequence([
    () =>
      mergeInto(store, INVOICES, { invoice_id: v.invoiceId }, e, (row) =>
        firstOccurrenceWins(row, 'approved_version', e, { approved_at: e.occurredAt, approval_mode: v.mode }),
      ),
    ...v.overriddenExceptionIds.map(
      (exceptionId) => () =>
        mergeInto(store, MATCH_EXCEPTIONS, { exception_id: exceptionId }, e, (row) => {
          // The raising event sets the invoice id; an override seen first fills it in meanwhile.
          if (row['invoice_id'] === null) row['invoice_id'] = v.invoiceId;
          firstOccurrenceWins(row, 'override_version', e, { overridden_at: e.occurredAt, overridden_by: v.approvedBy });
        }),
    ),
  ]);
}

export function projectInvoicePosted(store: RowStore, e: ProjectedEvent<InvoicePosted>): MaybePromise<void> {
  const v = e.value;
  return mergeInto(store, INVOICES, { invoice_id: v.invoiceId }, e, (row) =>
    firstOccurrenceWins(row, 'posted_version', e, {
      posted_at: e.occurredAt,
      erp_document_id: v.erpDocumentId,
      posted_amount: v.postedAmount.amount,
      accounting_date: v.accountingDate,
    }),
  );
}

export function projectInvoicePostingFailed(store: RowStore, e: ProjectedEvent<InvoicePostingFailed>): MaybePromise<void> {
  const v = e.value;
  return mergeInto(store, INVOICES, { invoice_id: v.invoiceId }, e, (row) =>
    lastWriterWins(row, 'posting_failed_version', e, {
      posting_failed_at: e.occurredAt,
      posting_failure_class: v.failureClass,
      posting_failure_code: v.erpCode,
    }),
  );
}

/** The ERP's latest validation of the invoice (status and unreleased holds), by the ERP's update time. */
export function projectInvoiceErpValidationReported(store: RowStore, e: ProjectedEvent<InvoiceErpValidationReported>): MaybePromise<void> {
  const v = e.value;
  return mergeInto(store, INVOICES, { invoice_id: v.invoiceId }, e, (row) =>
    lastWriterWins(row, 'erp_validation_version', e, {
      erp_validation_status: v.validationStatus,
      erp_holds: v.holds.length === 0 ? null : v.holds.map((h) => h.holdName).join(', '),
    }),
  );
}

/** A cancelled invoice leaves every open figure (unpaid liabilities, invoiced quantities). */
export function projectInvoiceCancelled(store: RowStore, e: ProjectedEvent<InvoiceCancelled>): MaybePromise<void> {
  return mergeInto(store, INVOICES, { invoice_id: e.value.invoiceId }, e, (row) =>
    firstOccurrenceWins(row, 'cancelled_version', e, { cancelled_at: isoTimestamp(e.value.cancelledAt), cancellation_origin: e.value.origin }),
  );
}
