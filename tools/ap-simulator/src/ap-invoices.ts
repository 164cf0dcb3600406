/**
 * The AP platform's invoices, in Coupa's Invoices API shape (finmesh captures AP invoices in that
 * shape), and the write operations an AP integration uses to report an invoice's fate. Sources
 * (compass.coupa.com, The Coupa Core API):
 *  - "Invoices API (/invoices)", Actions: `PUT /api/invoices/:id` (update),
 *    `PUT /api/invoices/:id/bypass_approvals` ("allows a 3rd-party system ... to get an invoice
 *    approved"), `PUT /api/invoices/:id/dispute` ("moving an invoice to disputed status via a system
 *    call"; the payload may carry `dispute-reason` { code } and `comment`; "this requires that
 *    INCORRECT_QUANTITY is a valid and active dispute reason"), `PUT /api/invoices/:id/void`
 *    ("Void an approved invoice"); Invoicing Platform Integration > "9. Void an Invoice";
 *  - "Invoice Payments API Example Calls": payment information goes by `PUT /api/invoices/<id>`
 *    with `paid` (boolean), `payment-date`, `payment-notes`, and a `payments` array of
 *    { `amount-paid`, `notes` (check number), `payment-date` } ("assign multiple payment dates,
 *    check numbers, and amounts paid to a single invoice"); "Payments API": payment elements
 *    `id`, `amount-paid`, `check-number`, `notes`, `payable-id`, `payable-type`, `payment-date`,
 *    `created-at`, `updated-at`;
 *  - Flat file "Invoices Export": `status` values new, ap_hold, draft, on_hold, pending_receipt,
 *    disputed, pending_approval, approved, voided, booking_hold, save_as_draft, abandoned;
 *    `internal-note` ("comments made by employees, not visible to the supplier");
 *  - "Invoices Integration into your ERP": the ERP document number as a custom field on the
 *    invoice header (their example `cf_erp_invoice_number`); "Reset Invoice last exported at for
 *    every change ... only applies to the UI. Changes made with API won't" reset it. So API writes
 *    here leave `exported` alone; admin changes (the UI) reset it.
 * NOT DOCUMENTED, so NOT BUILT: an API action that puts an invoice on hold (on_hold / ap_hold /
 * booking_hold are statuses Coupa sets itself; the admin API sets them here), an idempotency key
 * (none is documented: nothing is de-duplicated by one).
 * Simulator choices (unconfirmed): each element of `payments` sent is a NEW payment (appended; so
 * a repeated identical PUT with `payments` records the payment twice, as nested creation would);
 * fields other than the payment fields, `internal-note`, `custom-fields` (merged) and `exported`
 * are ignored by an API update; bypass_approvals applies to pending_approval and on_hold invoices,
 * dispute to any invoice not draft, disputed, voided or abandoned, void to pending_receipt,
 * approved or draft (else 422); every applied write moves `updated-at`; a dispute's `comment` is
 * also kept as a comment on the invoice.
 */
import { coupaKit } from '@finmesh/procurement-simulator';

type JsonObject = coupaKit.JsonObject;
type Clock = coupaKit.Clock;
type ResourceStore = coupaKit.ResourceStore;
const { coupaError, isJsonObject } = coupaKit;

const API_UPDATABLE = ['paid', 'payment-date', 'payment-notes', 'internal-note'];
const APPROVABLE = ['pending_approval', 'on_hold'];
const NOT_DISPUTABLE = ['draft', 'disputed', 'voided', 'abandoned'];
const VOIDABLE = ['pending_receipt', 'approved', 'draft'];
const IMMUTABLE = ['id', 'created-at', 'updated-at', 'exported', 'last-exported-at', 'payments'];

export const DEFAULT_DISPUTE_REASONS: readonly string[] = ['INCORRECT-QUANTITY', 'INCORRECT-PRICE'];

export interface ApStores {
  readonly invoices: ResourceStore;
  readonly payments: ResourceStore;
  readonly comments: ResourceStore;
}

/** Seed an invoice (what arrives in AP: a supplier's invoice, an OCR capture). */
export function seedInvoice(store: ResourceStore, body: JsonObject, clock: Clock): JsonObject {
  if (typeof body['invoice-number'] !== 'string' || body['invoice-number'] === '') throw coupaError(400, 'invoice-number is required.', 'invoice-number');
  const id = store.allocateId(body['id']);
  const now = clock.monotonicStamp();
  const kept = Object.fromEntries(Object.entries(body).filter(([k]) => !IMMUTABLE.includes(k)));
  return store.save({
    status: 'pending_approval',
    'document-type': 'Invoice',
    paid: false,
    'payment-date': null,
    'payment-notes': null,
    'internal-note': null,
    'custom-fields': {},
    'invoice-lines': [],
    ...kept,
    id,
    payments: [],
    'created-at': now,
    'updated-at': now,
    exported: false,
    'last-exported-at': null,
  });
}

/** What AP people do in the UI (e.g. put an invoice on hold): any field, exported reset. */
export function changeInvoiceAsUser(store: ResourceStore, id: number, changes: JsonObject, clock: Clock): JsonObject {
  const current = store.require(id);
  const kept = Object.fromEntries(Object.entries(changes).filter(([k]) => !IMMUTABLE.includes(k)));
  return store.save({ ...current, ...kept, 'updated-at': clock.monotonicStamp(), exported: false });
}

function money(value: unknown, field: string): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text.trim())) throw coupaError(400, `${field} must be a decimal.`, field);
  return text.trim();
}

/** `PUT /api/invoices/:id`: payment information, internal note, custom fields, exported flag. */
export function updateInvoiceViaApi(stores: ApStores, id: number, body: JsonObject, exportedFromQuery: string | null, clock: Clock): JsonObject {
  const current = stores.invoices.require(id);
  const next: JsonObject = { ...current };
  for (const key of API_UPDATABLE) if (key in body) next[key] = body[key];
  if ('paid' in body && typeof body['paid'] !== 'boolean') throw coupaError(400, 'paid must be true or false.', 'paid');
  if (body['payment-date'] !== undefined && body['payment-date'] !== null && (typeof body['payment-date'] !== 'string' || Number.isNaN(Date.parse(body['payment-date'])))) {
    throw coupaError(400, 'payment-date must be a date or datetime.', 'payment-date');
  }
  if (body['custom-fields'] !== undefined) {
    if (!isJsonObject(body['custom-fields'])) throw coupaError(400, 'custom-fields must be an object.', 'custom-fields');
    next['custom-fields'] = { ...(isJsonObject(current['custom-fields']) ? current['custom-fields'] : {}), ...body['custom-fields'] };
  }
  const exported = exportedFromQuery ?? (typeof body['exported'] === 'boolean' ? String(body['exported']) : undefined);
  if (exported !== undefined) {
    if (exported !== 'true' && exported !== 'false') throw coupaError(400, 'exported must be true or false.', 'exported');
    next['exported'] = exported === 'true';
    if (exported === 'true') next['last-exported-at'] = clock.stamp();
  }
  let added: JsonObject[] = [];
  if (body['payments'] !== undefined) {
    const list = body['payments'];
    if (!Array.isArray(list) || !list.every(isJsonObject)) throw coupaError(400, 'payments must be an array of payments.', 'payments');
    const stamp = clock.monotonicStamp();
    added = list.map((p) => ({
      id: stores.payments.allocateId(),
      'amount-paid': money(p['amount-paid'], 'amount-paid'),
      'check-number': p['check-number'] ?? null,
      notes: p['notes'] ?? null,
      'payment-date': p['payment-date'] ?? null,
      'payable-id': id,
      'payable-type': 'InvoiceHeader',
      'created-at': stamp,
      'updated-at': stamp,
    }));
    for (const p of added) stores.payments.save(p);
    next['payments'] = [...(Array.isArray(current['payments']) ? current['payments'] : []), ...added];
  }
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  return stores.invoices.save({ ...next, 'updated-at': clock.monotonicStamp() });
}

function transition(stores: ApStores, id: number, allowed: (status: string) => boolean, to: string, action: string, clock: Clock, extra: JsonObject = {}): JsonObject {
  const current = stores.invoices.require(id);
  const status = String(current['status']);
  if (!allowed(status)) throw coupaError(422, `Invoice ${id} is ${status}; it cannot be ${action}.`, 'status');
  return stores.invoices.save({ ...current, ...extra, status: to, 'updated-at': clock.monotonicStamp() });
}

export const bypassApprovals = (stores: ApStores, id: number, clock: Clock) => transition(stores, id, (s) => APPROVABLE.includes(s), 'approved', 'approved by bypassing approvals', clock);

export const voidInvoice = (stores: ApStores, id: number, clock: Clock) => transition(stores, id, (s) => VOIDABLE.includes(s), 'voided', 'voided', clock);

export function addComment(stores: ApStores, invoiceId: number, text: unknown, clock: Clock): JsonObject {
  stores.invoices.require(invoiceId);
  if (typeof text !== 'string' || text.trim() === '') throw coupaError(400, "comments can't be blank.", 'comments');
  const now = clock.monotonicStamp();
  return stores.comments.save({ id: stores.comments.allocateId(), comments: text, 'commentable-type': 'InvoiceHeader', 'commentable-id': invoiceId, 'created-at': now, 'updated-at': now });
}

export function disputeInvoice(stores: ApStores, id: number, body: JsonObject | undefined, reasons: readonly string[], clock: Clock): JsonObject {
  const reason = body?.['dispute-reason'];
  let extra: JsonObject = {};
  if (reason !== undefined) {
    const code = isJsonObject(reason) ? reason['code'] : undefined;
    if (typeof code !== 'string' || !reasons.includes(code)) throw coupaError(422, `dispute-reason ${JSON.stringify(code)} is not a valid and active dispute reason.`, 'dispute-reason');
    extra = { 'dispute-reason': { code } };
  }
  const disputed = transition(stores, id, (s) => !NOT_DISPUTABLE.includes(s), 'disputed', 'disputed', clock, extra);
  if (typeof body?.['comment'] === 'string' && body['comment'].trim() !== '') addComment(stores, id, body['comment'], clock);
  return disputed;
}
