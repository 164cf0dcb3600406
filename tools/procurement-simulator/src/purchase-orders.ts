/**
 * Purchase orders as the simulator keeps them (compass.coupa.com, "Purchase Orders API
 * (/purchase_orders)" and "Special Actions and API Notes"):
 *  - `version` is the supplier version ("Increase each time a PO is changed and triggers a resend
 *    to the supplier"), `internal-revision` "increases each time a change is made to a PO whether
 *    that change is internal or causes the PO to be resent", `updated-at` moves on every change;
 *  - "An edit to a Purchase Order which results in a new Purchase Order Version (resend to
 *    supplier) will reset the exported flag to false." An internal edit (same version) does not,
 *    unless `resetExportedOnEveryChange` (Coupa Support's "Reset PO last exported at for every
 *    change" option) is on;
 *  - actions `PUT /api/purchase_orders/:id/cancel` and `/close`.
 * Admin requests (`POST /__admin/purchase_orders`, `PUT /__admin/purchase_orders/:id`) stand for
 * what buyers do in Coupa's UI. Simulator choices: a created order defaults to status issued,
 * version 1, internal-revision 1; line ids and `line-num` ("1", "2"...) are filled in when absent;
 * an update names the fields that change (`order-lines` replaces the lines) and is a new version
 * when it says so (`version` above the current one, or `"resend": true`); cancel is sent to the
 * supplier (new version), close is not, and both reset the exported flag so the integration sees
 * them; they bump internal-revision like any change.
 */
import type { Clock } from './clock';
import { AdminProblems, coupaError } from './coupa-errors';
import { isJsonObject, type JsonObject } from './http-io';
import type { ResourceStore } from './resource-store';

export interface PurchaseOrderRules {
  readonly resetExportedOnEveryChange: boolean;
}

const IMMUTABLE = ['id', 'created-at', 'internal-revision', 'updated-at', 'exported', 'last-exported-at'];

function fillLines(lines: unknown, orderId: number, problems: AdminProblems): JsonObject[] {
  if (!Array.isArray(lines)) {
    problems.add('order-lines', 'order-lines must be an array.');
    return [];
  }
  return lines.map((l, i) => {
    if (!isJsonObject(l)) {
      problems.add('order-lines', `order-lines[${i}] must be an object.`);
      return {};
    }
    return { id: orderId * 1000 + i + 1, 'line-num': String(i + 1), ...l };
  });
}

export function createPurchaseOrder(store: ResourceStore, body: JsonObject, clock: Clock): JsonObject {
  const problems = new AdminProblems();
  if (typeof body['po-number'] !== 'string' || body['po-number'] === '') problems.add('po-number', 'po-number is required.');
  if (store.all().some((po) => po['po-number'] === body['po-number'])) problems.add('po-number', `po-number ${String(body['po-number'])} is taken.`);
  problems.throwIfAny();
  const id = store.allocateId(body['id']);
  const now = clock.monotonicStamp();
  const lines = fillLines(body['order-lines'] ?? [], id, problems);
  problems.throwIfAny();
  return store.save({
    status: 'issued',
    version: 1,
    type: 'ExternalOrderHeader',
    ...body,
    id,
    'internal-revision': typeof body['internal-revision'] === 'number' ? body['internal-revision'] : 1,
    'created-at': typeof body['created-at'] === 'string' ? body['created-at'] : now,
    'updated-at': now,
    exported: false,
    'last-exported-at': null,
    'order-lines': lines,
  });
}

/** A buyer's change: internal-revision +1, a new version (exported reset) when it says so. */
export function updatePurchaseOrder(store: ResourceStore, id: number, changes: JsonObject, clock: Clock, rules: PurchaseOrderRules): JsonObject {
  const current = store.require(id);
  const problems = new AdminProblems();
  const currentVersion = Number(current['version'] ?? 1);
  const wanted = changes['version'];
  if (wanted !== undefined && (typeof wanted !== 'number' || !Number.isInteger(wanted) || wanted < currentVersion)) {
    problems.add('version', `version must be an integer of at least the current ${currentVersion}.`);
  }
  const resend = changes['resend'] === true || (typeof wanted === 'number' && wanted > currentVersion);
  const lines = changes['order-lines'] === undefined ? current['order-lines'] : fillLines(changes['order-lines'], id, problems);
  problems.throwIfAny();
  const kept = Object.fromEntries(Object.entries(changes).filter(([k]) => !IMMUTABLE.includes(k) && k !== 'resend'));
  const next: JsonObject = {
    ...current,
    ...kept,
    'order-lines': lines,
    version: resend ? (typeof wanted === 'number' && wanted > currentVersion ? wanted : currentVersion + 1) : currentVersion,
    'internal-revision': Number(current['internal-revision'] ?? 1) + 1,
    'change-type': typeof changes['change-type'] === 'string' ? changes['change-type'] : resend ? 'revision' : (current['change-type'] ?? null),
    'updated-at': clock.monotonicStamp(),
  };
  if (resend || rules.resetExportedOnEveryChange) next['exported'] = false;
  return store.save(next);
}

const CLOSABLE = ['issued', 'buyer_hold', 'supplier_hold', 'currency_hold', 'supplier_window_hold', 'soft_closed', 'expensed'];

/** `PUT /api/purchase_orders/:id/cancel` or `/close`. */
export function closePurchaseOrder(store: ResourceStore, id: number, action: 'cancel' | 'close', clock: Clock): JsonObject {
  const current = store.require(id);
  const status = String(current['status']);
  if (action === 'cancel' && !['draft', ...CLOSABLE].includes(status)) throw coupaError(422, `Purchase order ${id} is ${status} and cannot be cancelled.`, 'status');
  if (action === 'close' && !CLOSABLE.includes(status)) throw coupaError(422, `Purchase order ${id} is ${status} and cannot be closed.`, 'status');
  const version = Number(current['version'] ?? 1);
  return store.save({
    ...current,
    status: action === 'cancel' ? 'cancelled' : 'closed',
    version: action === 'cancel' ? version + 1 : version,
    'internal-revision': Number(current['internal-revision'] ?? 1) + 1,
    'updated-at': clock.monotonicStamp(),
    exported: false,
  });
}

/** The order line with this Coupa id, with its order's number and supplier (to expand a receipt's `order-line`). */
export function findOrderLine(store: ResourceStore, lineId: unknown): JsonObject | undefined {
  for (const po of store.all()) {
    const lines = Array.isArray(po['order-lines']) ? (po['order-lines'] as JsonObject[]) : [];
    const line = lines.find((l) => l['id'] === lineId);
    if (line) return { ...line, 'order-header-id': po['id'], 'order-header-number': po['po-number'], supplier: line['supplier'] ?? po['supplier'] };
  }
  return undefined;
}
