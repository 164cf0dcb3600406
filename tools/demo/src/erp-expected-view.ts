import { nameBasedId } from '@finmesh/adapters';
import type { FieldValues, ExpectedErpView } from '@finmesh/ops';
import type { ScenarioReport } from './source-to-pay-scenario';
import type { PlatformClient, StackEndpoints } from './stack-endpoints';

/**
 * Fusion's PO `Status` for a PO finmesh holds: an open PO is 'Open' once submitted (the Fusion
 * purchasing guide's status for an approved, submitted order), a closed one 'Closed'.
 * (Fusion's full list of PO statuses is not confirmed on a vendor page; these two are the ones
 * finmesh compares.)
 */
const FUSION_PO_STATUS: Readonly<Record<string, string>> = { OPEN: 'Open', CLOSED: 'Closed' };

interface PurchaseOrderView {
  readonly poNumber: string;
  readonly status: string;
  readonly lines: readonly { readonly lineNumber: number; readonly receivedQty: string; readonly cancelled?: boolean }[];
}

/**
 * What finmesh says the ERP should hold after a demo run, read from finmesh's own APIs (not from
 * the demo's intentions): each PO (po-sync) and its received quantities, each invoice invoice-sync
 * posted (its ERP number and gross amount), and each payment payment-sync recorded (its amount).
 * Amounts go as finmesh holds them; the comparator compares them at the ERP's 2 decimals.
 */
export async function erpExpectedView(endpoints: StackEndpoints, ops: PlatformClient, report: ScenarioReport): Promise<ExpectedErpView> {
  const purchaseOrders = new Map<string, FieldValues>();
  const receipts = new Map<string, FieldValues>();
  for (const po of report.purchaseOrders) {
    const answer = await ops.get(`${endpoints.poSync}/v1/purchase-orders/${po.purchaseOrderId}`);
    if (answer.status !== 200) throw new Error(`po-sync has no PO ${po.poNumber}: HTTP ${answer.status}`);
    const view = answer.body as unknown as PurchaseOrderView;
    purchaseOrders.set(view.poNumber, { status: FUSION_PO_STATUS[view.status] ?? view.status });
    for (const line of view.lines) {
      if (!line.cancelled && Number(line.receivedQty) !== 0) receipts.set(`${view.poNumber}#${line.lineNumber}`, { received: line.receivedQty });
    }
  }
  const invoices = new Map<string, FieldValues>();
  for (const c of report.cases) {
    if (!c.invoiceId || !c.erpDocumentId) continue;
    const answer = await ops.get(`${endpoints.invoiceSync}/v1/invoices/${c.invoiceId}`);
    const view = answer.body as { correction?: { erpInvoiceNumber?: string }; grossAmount?: string };
    invoices.set(view.correction?.erpInvoiceNumber ?? c.invoiceNumber ?? '', { amount: view.grossAmount ?? null });
  }
  const payments = new Map<string, FieldValues>();
  for (const p of report.payments) {
    const answer = await ops.get(`${endpoints.paymentSync}/v1/payments/${nameBasedId('payment', p.paymentId)}`);
    if (answer.status !== 200) continue; // not recorded by payment-sync: the ERP's payment then shows as unexpected, never as agreed
    const amount = (answer.body['amount'] as { amount?: string } | undefined)?.amount;
    payments.set(p.paymentId, { amount: amount ?? null });
  }
  return { purchaseOrders, receipts, invoices, payments };
}
