/**
 * Invoices as the simulator keeps them (compass.coupa.com, "Invoices API (/invoices)" and the
 * orchestration document "Invoices Integration into your ERP"):
 *  - one record per invoice `id`; a correction updates the same record (`updated-at` moves,
 *    `lock-version-key` ("Lock Version") grows);
 *  - `PUT /api/invoices/:id/void` voids an invoice in pending_receipt, approved or draft (the
 *    buyer's voidable statuses) -> status voided;
 *  - a manual change in Coupa "will reset the Export Flag, and the Invoice will therefore be
 *    considered in the next run" (the orchestration document).
 * Admin requests stand for what AP does in Coupa's UI: `POST /__admin/invoices` (defaults: status
 * pending_approval, document-type Invoice, lock-version-key 1) and `PUT /__admin/invoices/:id`
 * (the fields that change; `invoice-lines` replaces the lines). Both changes and voids reset the
 * exported flag (simulator choice, per the orchestration document's manual-change rule).
 */
import type { Clock } from './clock';
import { AdminProblems, coupaError } from './coupa-errors';
import type { JsonObject } from './http-io';
import type { ResourceStore } from './resource-store';

const BUYER_VOIDABLE = ['pending_receipt', 'approved', 'draft'];
const IMMUTABLE = ['id', 'created-at', 'updated-at', 'lock-version-key', 'exported', 'last-exported-at'];

export function createInvoice(store: ResourceStore, body: JsonObject, clock: Clock): JsonObject {
  const problems = new AdminProblems();
  if (typeof body['invoice-number'] !== 'string' || body['invoice-number'] === '') problems.add('invoice-number', 'invoice-number is required.');
  if (body['invoice-lines'] !== undefined && !Array.isArray(body['invoice-lines'])) problems.add('invoice-lines', 'invoice-lines must be an array.');
  problems.throwIfAny();
  const id = store.allocateId(body['id']);
  const now = clock.monotonicStamp();
  return store.save({
    status: 'pending_approval',
    'document-type': 'Invoice',
    'invoice-lines': [],
    ...body,
    id,
    'lock-version-key': 1,
    'created-at': typeof body['created-at'] === 'string' ? body['created-at'] : now,
    'updated-at': now,
    exported: false,
    'last-exported-at': null,
  });
}

export function updateInvoice(store: ResourceStore, id: number, changes: JsonObject, clock: Clock): JsonObject {
  const current = store.require(id);
  const kept = Object.fromEntries(Object.entries(changes).filter(([k]) => !IMMUTABLE.includes(k)));
  return store.save({
    ...current,
    ...kept,
    'lock-version-key': Number(current['lock-version-key'] ?? 1) + 1,
    'updated-at': clock.monotonicStamp(),
    exported: false,
  });
}

export function voidInvoice(store: ResourceStore, id: number, clock: Clock): JsonObject {
  const current = store.require(id);
  const status = String(current['status']);
  if (!BUYER_VOIDABLE.includes(status)) throw coupaError(422, `Invoice ${id} is ${status}; only ${BUYER_VOIDABLE.join(', ')} invoices can be voided.`, 'status');
  return updateInvoice(store, id, { status: 'voided' }, clock);
}
