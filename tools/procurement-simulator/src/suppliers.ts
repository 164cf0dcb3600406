/**
 * Coupa's suppliers resource, kept as the JSON the API answers with. Sources:
 *  - compass.coupa.com, The Coupa Core API > Resources > Reference Data Resources >
 *    "Suppliers API (/suppliers)": actions `POST /api/suppliers` (create), `GET /api/suppliers`
 *    (index), `GET /api/suppliers/:id` (show), `PUT /api/suppliers/:id` (update); elements such as
 *    `id`, `name`, `display-name`, `number`, `status`, `payment-term`, `primary-address`,
 *    `primary-contact`, `created-at`, `updated-at`;
 *  - "Suppliers API Example Calls": queries such as `status=active`, `payment-term[code]=Net+30`,
 *    `primary-address[city]=Charleston`, `?id=6` (the generic query syntax of query-filter.ts, so
 *    `number=1013` looks a supplier up by its number);
 *  - ERP Integration Adapters > Integration Scenarios > "2.2 Modify a Supplier": the integration
 *    GETs the supplier by a queryable field, then PUTs `/api/suppliers/<id>` with the fields to
 *    change and expects a 200 (errors in `errors`);
 *  - "Suppliers Export" (CSV): Name "Yes/Yes" (required, unique), Status, Supplier Number "No/Yes"
 *    (unique);
 *  - "Remit-To Addresses API (/suppliers/addresses)": `GET|POST /api/suppliers/:supplier_id/addresses`,
 *    `GET|PUT|PATCH /api/suppliers/:supplier_id/addresses/:id`; elements `active`, `name`,
 *    `remit-to-code`, `street1`..`street4`, `city`, `state`, `postal-code`, `country`,
 *    `external-src-name`, `external-src-ref`, `local-tax-number`, `created-at`, `updated-at`.
 * UNCONFIRMED (from a third-party schema of Coupa's API, schemas.apis.io/api-evangelist
 * "coupa-supplierupdate", not from a Compass element list I could read): the `on-hold` boolean
 * ("whether the supplier is on hold"), `status` values active / inactive (draft for a new
 * supplier in workflow), `hold-invoices-for-ap-review`. The OAuth scope names
 * `core.supplier.read` / `core.supplier.write` follow Coupa's `service.object.right` pattern; the
 * exact names are unconfirmed.
 * Simulator choices: a created supplier defaults to status active and on-hold false; a duplicate
 * name or number is 422 (Coupa's status code for validation errors is unconfirmed); an update
 * merges the top-level fields sent (an association such as `payment-term` or `primary-address` is
 * replaced whole) and moves `updated-at` only when something changed; `status` must be active,
 * inactive or draft and `on-hold` a boolean (400 otherwise). Nothing is de-duplicated by an
 * idempotency key (Coupa documents none): a repeated create is refused only by the unique name or
 * number; a repeated remit-to address create makes a second address.
 */
import type { Clock } from './clock';
import { coupaError } from './coupa-errors';
import { isJsonObject, type JsonObject } from './http-io';
import type { ResourceStore } from './resource-store';

export const SUPPLIER_STATUSES = ['active', 'inactive', 'draft'] as const;
const IMMUTABLE = ['id', 'created-at', 'updated-at', 'created-by', 'updated-by'];

function check(body: JsonObject, store: ResourceStore, selfId: number | undefined): void {
  const status = body['status'];
  if (status !== undefined && !(SUPPLIER_STATUSES as readonly unknown[]).includes(status)) throw coupaError(400, `status must be one of ${SUPPLIER_STATUSES.join(', ')}.`, 'status');
  if (body['on-hold'] !== undefined && typeof body['on-hold'] !== 'boolean') throw coupaError(400, 'on-hold must be true or false.', 'on-hold');
  for (const key of ['name', 'number'] as const) {
    const value = body[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw coupaError(400, `${key} must be a string.`, key);
    const clash = store.all().find((s) => s['id'] !== selfId && s[key] === value);
    if (clash) throw coupaError(422, `${key === 'name' ? 'Name' : 'Supplier Number'} has already been taken (supplier ${String(clash['id'])}).`, key);
  }
}

export function createSupplier(store: ResourceStore, body: JsonObject, clock: Clock): JsonObject {
  if (typeof body['name'] !== 'string' || body['name'].trim() === '') throw coupaError(400, "Name can't be blank.", 'name');
  check(body, store, undefined);
  const id = store.allocateId(body['id']);
  const now = clock.monotonicStamp();
  const kept = Object.fromEntries(Object.entries(body).filter(([k]) => !IMMUTABLE.includes(k)));
  return store.save({ status: 'active', 'on-hold': false, ...kept, id, 'created-at': now, 'updated-at': now });
}

export function updateSupplier(store: ResourceStore, id: number, changes: JsonObject, clock: Clock): JsonObject {
  const current = store.require(id);
  check(changes, store, id);
  const kept = Object.fromEntries(Object.entries(changes).filter(([k]) => !IMMUTABLE.includes(k)));
  const next = { ...current, ...kept };
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  return store.save({ ...next, 'updated-at': clock.monotonicStamp() });
}

export function createRemitToAddress(addresses: ResourceStore, suppliers: ResourceStore, supplierId: number, body: JsonObject, clock: Clock): JsonObject {
  suppliers.require(supplierId);
  const id = addresses.allocateId();
  const now = clock.monotonicStamp();
  const kept = Object.fromEntries(Object.entries(body).filter(([k]) => !IMMUTABLE.includes(k) && k !== 'supplier-id'));
  return addresses.save({ active: true, ...kept, id, 'supplier-id': supplierId, 'created-at': now, 'updated-at': now });
}

export function remitToAddressOf(addresses: ResourceStore, supplierId: number, id: number): JsonObject {
  const address = addresses.get(id);
  if (!address || address['supplier-id'] !== supplierId) throw coupaError(404, `No remit to address ${id} for supplier ${supplierId}.`);
  return address;
}

export function updateRemitToAddress(addresses: ResourceStore, supplierId: number, id: number, changes: JsonObject, clock: Clock): JsonObject {
  const current = remitToAddressOf(addresses, supplierId, id);
  if (changes['active'] !== undefined && typeof changes['active'] !== 'boolean') throw coupaError(400, 'active must be true or false.', 'active');
  const kept = Object.fromEntries(Object.entries(changes).filter(([k]) => !IMMUTABLE.includes(k) && k !== 'supplier-id'));
  const next = { ...current, ...kept };
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  return addresses.save({ ...next, 'updated-at': clock.monotonicStamp() });
}

export function requireObject(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw coupaError(400, 'The request body must be a JSON object.');
  return body;
}
