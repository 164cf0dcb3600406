import type { FieldValues } from '@finmesh/ops';
import type { ScenarioReport } from './source-to-pay-scenario';
import type { PlatformClient, StackEndpoints } from './stack-endpoints';

/**
 * What the AP platform should show for an invoice in each finmesh status, as invoice-sync writes
 * it back (apps/invoice-sync/src/write-back): its `cf_finmesh_status` custom field, the document's
 * stage (a paid invoice is posted). Statuses no event announces (RECEIVED, a rejection, a
 * replacement waiting for the ERP) expect nothing.
 */
const AP_STATUS_FIELD: Readonly<Record<string, string>> = {
  EXCEPTION: 'exception',
  ON_HOLD: 'exception',
  WAITING_FOR_RECEIPT: 'exception',
  APPROVED: 'approved',
  POSTED: 'posted',
  POSTING_FAILED: 'posting-failed',
  ERP_HOLD: 'erp-hold',
  PARTIALLY_PAID: 'posted',
  PAID: 'posted',
  CANCELLED: 'cancelled',
};

/** Its payment status (`cf_finmesh_payment_status`), written from payment events. */
const AP_PAYMENT_FIELD: Readonly<Record<string, string>> = { PARTIALLY_PAID: 'partially-paid', PAID: 'paid' };

/** Statuses after finmesh approved the invoice: AP has approved it too (its approval API). */
const APPROVED_IN_FINMESH = new Set(['APPROVED', 'POSTED', 'POSTING_FAILED', 'ERP_HOLD', 'PARTIALLY_PAID', 'PAID']);

interface InvoiceView {
  readonly status: string;
  readonly posting?: { readonly erpDocumentId?: string | null; readonly erpDocumentNumber?: string | null };
}

/**
 * What finmesh says the AP platform should hold for the demo's invoices, read from invoice-sync's
 * API: by AP invoice number, finmesh's status field, the ERP number once posted, AP's own status
 * once approved, and `paid` once paid.
 */
export async function apExpectedInvoices(endpoints: StackEndpoints, ops: PlatformClient, report: ScenarioReport): Promise<Map<string, FieldValues>> {
  const expected = new Map<string, FieldValues>();
  for (const c of report.cases) {
    if (!c.invoiceId || !c.invoiceNumber) continue;
    const answer = await ops.get(`${endpoints.invoiceSync}/v1/invoices/${c.invoiceId}`);
    if (answer.status !== 200) continue;
    const view = answer.body as unknown as InvoiceView;
    const fields: Record<string, string | null> = {};
    const status = AP_STATUS_FIELD[view.status];
    if (status) fields['cf_finmesh_status'] = status;
    const payment = AP_PAYMENT_FIELD[view.status];
    if (payment) fields['cf_finmesh_payment_status'] = payment;
    const erpNumber = view.posting?.erpDocumentNumber ?? view.posting?.erpDocumentId ?? null;
    if (erpNumber !== null) fields['cf_erp_invoice_number'] = erpNumber;
    if (APPROVED_IN_FINMESH.has(view.status)) fields['status'] = 'approved';
    if (view.status === 'PAID') fields['paid'] = 'true';
    if (Object.keys(fields).length > 0) expected.set(c.invoiceNumber, fields);
  }
  return expected;
}
