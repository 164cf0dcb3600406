/**
 * Delivers one ApInvoiceUpdate to the AP platform (Coupa Invoices API shape, as captured), so AP
 * users see what finmesh, the ERP and the bank did with the invoice. Sources (compass.coupa.com,
 * The Coupa Core API; the same pages as tools/ap-simulator/src/ap-invoices.ts):
 *  - "Invoices API (/invoices)": `GET /api/invoices/:id`; `PUT /api/invoices/:id` (update: custom
 *    fields, payment information); `PUT /api/invoices/:id/bypass_approvals` ("allows a 3rd-party
 *    system ... to get an invoice approved"); `PUT /api/invoices/:id/void` ("Void an approved
 *    invoice"); statuses from the "Invoices Export" flat file (pending_approval, on_hold,
 *    approved, voided, ...);
 *  - "Invoice Payments API Example Calls": `PUT /api/invoices/:id` with `payments`
 *    [{ `amount-paid`, `notes`, `payment-date` }], `paid` and `payment-date`;
 *  - "Comments API": `GET|POST /api/invoices/:id/comments` with `comments` (the text);
 *  - "Invoices Integration into your ERP": the ERP number as header custom field.
 *
 * Coupa documents no idempotency key, and a PUT with `payments` appends them. So every delivery
 * reads the invoice first and does only what is not there yet: the payment is looked up by its
 * notes, the comment by the delivery key it carries, the status by its time (a late event never
 * overwrites a newer status), the payment status and `paid` by the settlement, approval and void
 * by AP's status. A delivery whose 2xx was lost therefore changes nothing the second time. A
 * voided payment withdraws its settlement (`paid` false again when it no longer covers the
 * invoice); its AP payment record stays, as Coupa documents no way to remove one.
 *
 * Decided here: approval bypasses AP's workflow only while AP waits for approval
 * (pending_approval); an invoice an AP user put on hold stays on hold (its custom field still says
 * finmesh approved it). A void is sent only for an approved invoice (what Coupa documents); other
 * AP statuses get the comment and status, and AP users void it themselves.
 */
import { PlatformRequestError, type DeliveryContext, type PlatformAnswer } from '@finmesh/connectors';
import { settlementCoverage, sumDecimals, type SettlementCoverage } from '@finmesh/contracts';
import { AP_INVOICE_FIELDS, REASON_FIELD_LENGTH, type ApFinmeshStatus, type ApInvoiceUpdate, type ApPaymentStatus } from './ap-invoice-update';

/** What finmesh knows of the invoice when it delivers: AP's id, the gross amount, and what its other payments (released or confirmed, not voided) settled. */
export interface ApInvoiceFacts {
  readonly apInvoiceId: string;
  readonly grossAmount: string;
  readonly settledByOtherPayments: string;
}

type CoupaRecord = Record<string, unknown>;

/** How far along the lifecycle a status is: breaks ties between events of the same instant. */
const STAGE: Readonly<Record<ApFinmeshStatus, number>> = {
  matched: 1,
  exception: 1,
  approved: 2,
  'posting-failed': 3,
  posted: 3,
  'erp-hold': 4,
  cancelled: 5,
};

export async function deliverApInvoiceUpdate(update: ApInvoiceUpdate, facts: ApInvoiceFacts, context: DeliveryContext): Promise<PlatformAnswer> {
  const path = `/api/invoices/${encodeURIComponent(facts.apInvoiceId)}`;
  const invoice = await read(context, path);
  const apStatus = String(invoice['status']);
  const done: string[] = [];

  if (update.void && apStatus === 'approved') {
    await context.client.request({ method: 'PUT', path: `${path}/void`, operation: 'PUT invoices void' });
    done.push('voided');
  }
  if (update.approve && apStatus === 'pending_approval') {
    await context.client.request({ method: 'PUT', path: `${path}/bypass_approvals`, operation: 'PUT invoices bypass_approvals' });
    done.push('approved');
  }
  if (update.comment && (await postComment(context, path, update.comment))) done.push('commented');

  const body: CoupaRecord = {};
  const custom: CoupaRecord = { ...statusFields(update, invoice) };
  if (update.payment) {
    const p = update.payment;
    const settled = p.voided ? facts.settledByOtherPayments : sumDecimals([facts.settledByOtherPayments, p.settles], 4);
    const paymentStatus = PAYMENT_STATUS[settlementCoverage(settled, facts.grossAmount)];
    const payments = Array.isArray(invoice['payments']) ? (invoice['payments'] as CoupaRecord[]) : [];
    if (!p.voided && !payments.some((r) => r['notes'] === p.notes)) body['payments'] = [{ 'amount-paid': p.amountPaid, notes: p.notes, 'payment-date': p.paymentDate }];
    if (paymentStatus === 'paid' && invoice['paid'] !== true) Object.assign(body, { paid: true, 'payment-date': p.paymentDate });
    if (paymentStatus !== 'paid' && invoice['paid'] === true) body['paid'] = false;
    if (customFieldsOf(invoice)[AP_INVOICE_FIELDS.paymentStatus] !== paymentStatus) custom[AP_INVOICE_FIELDS.paymentStatus] = paymentStatus;
  }
  if (Object.keys(custom).length > 0) body['custom-fields'] = custom;
  if (Object.keys(body).length > 0) {
    const answer = await context.client.request({ method: 'PUT', path, operation: 'PUT invoices', body });
    done.push(...Object.keys(body));
    return { status: answer.status, summary: `AP invoice ${facts.apInvoiceId}: ${done.join(', ')}`, code: 'UPDATED' };
  }
  return { status: 200, summary: `AP invoice ${facts.apInvoiceId}: ${done.length ? done.join(', ') : 'already up to date'}`, code: done.length ? 'UPDATED' : 'UNCHANGED' };
}

async function read(context: DeliveryContext, path: string): Promise<CoupaRecord> {
  const found = await context.client.request({ method: 'GET', path, operation: 'GET invoices' });
  const body = found.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new PlatformRequestError(context.client.platform, 'GET invoices', found.status, 'the AP platform answered no invoice object');
  return body as CoupaRecord;
}

/** What the invoice's settlement means for AP, by invoice-sync's own rule (settlementCoverage). */
const PAYMENT_STATUS: Readonly<Record<SettlementCoverage, ApPaymentStatus>> = { full: 'paid', partial: 'partially-paid', none: 'unpaid' };

function customFieldsOf(invoice: CoupaRecord): CoupaRecord {
  const fields = invoice['custom-fields'];
  return typeof fields === 'object' && fields !== null && !Array.isArray(fields) ? (fields as CoupaRecord) : {};
}

/** The status custom fields to write: none when AP already holds this status or a newer one. */
function statusFields(update: ApInvoiceUpdate, invoice: CoupaRecord): CoupaRecord {
  const current = customFieldsOf(invoice);
  const status = update.status;
  const fields: CoupaRecord = {};
  if (update.erpInvoiceNumber && current[AP_INVOICE_FIELDS.erpInvoiceNumber] !== update.erpInvoiceNumber) fields[AP_INVOICE_FIELDS.erpInvoiceNumber] = update.erpInvoiceNumber;
  if (status) {
    const heldAt = typeof current[AP_INVOICE_FIELDS.at] === 'string' ? Date.parse(current[AP_INVOICE_FIELDS.at] as string) : Number.NaN;
    const time = update.occurredAt.getTime();
    // Events of one transaction share a time (matched and approved): then the later stage wins.
    const newer = Number.isNaN(heldAt) || time > heldAt || (time === heldAt && STAGE[status] > (STAGE[current[AP_INVOICE_FIELDS.status] as ApFinmeshStatus] ?? 0));
    if (newer) {
      fields[AP_INVOICE_FIELDS.status] = status;
      fields[AP_INVOICE_FIELDS.reason] = (update.reason ?? '').slice(0, REASON_FIELD_LENGTH);
      fields[AP_INVOICE_FIELDS.at] = update.occurredAt.toISOString();
    }
  }
  return fields;
}

/** Posts the comment unless one carrying this delivery's key is there; true when posted. */
async function postComment(context: DeliveryContext, path: string, text: string): Promise<boolean> {
  const marker = `[finmesh ${context.deliveryKey}]`;
  const listed = await context.client.request({ method: 'GET', path: `${path}/comments`, operation: 'GET invoice comments' });
  const comments = Array.isArray(listed.body) ? (listed.body as CoupaRecord[]) : [];
  if (comments.some((c) => typeof c['comments'] === 'string' && c['comments'].includes(marker))) return false;
  await context.client.request({ method: 'POST', path: `${path}/comments`, operation: 'POST invoice comments', body: { comments: `${text} ${marker}` } });
  return true;
}
