/**
 * Write-back of supplier holds to the procurement platform (Coupa Suppliers API, `/api/suppliers`):
 * a supplier blocked in the ERP must not stay orderable in procurement.
 *
 * Documented behaviour relied on (Coupa Compass, "Suppliers API (/suppliers)" and "2.2 Modify a
 * Supplier"): `GET /api/suppliers?number=<n>` finds the supplier by its number (Coupa's query
 * syntax), `PUT /api/suppliers/<id>` updates it. The hold field `on-hold` is **unconfirmed**: it
 * comes from a third-party schema of Coupa's API (schemas.apis.io "coupa-supplierupdate"), not a
 * Compass page; the procurement simulator implements it as that schema names it.
 * Coupa documents no Idempotency-Key: a re-sent PUT of the same hold is harmless (it sets the same
 * value), and the delivery ledger keeps it to one call per event.
 */
import type { DeliveryContext, PlatformAnswer } from '@finmesh/connectors';
import { PlatformRequestError } from '@finmesh/connectors';
import type { SupplierBlocked, SupplierUnblocked } from '@finmesh/contracts';

export type SupplierHoldEvent = { readonly kind: 'blocked'; readonly event: SupplierBlocked } | { readonly kind: 'unblocked'; readonly event: SupplierUnblocked };

/** Scopes that make a supplier unorderable: a hold on everything, or on purchasing. */
const PROCUREMENT_SCOPES = new Set(['ALL', 'PURCHASING']);

/** Whether this hold change concerns procurement at all (payment or posting holds do not). */
export function concernsProcurement(change: SupplierHoldEvent): boolean {
  return PROCUREMENT_SCOPES.has(change.event.scope);
}

/** Puts the supplier on hold in procurement, or releases it. `supplierNumber` is Coupa's `number`. */
export async function deliverSupplierHold(change: SupplierHoldEvent, supplierNumber: string, context: DeliveryContext): Promise<PlatformAnswer> {
  const found = await context.client.request({ method: 'GET', path: '/api/suppliers', operation: 'GET suppliers', query: { number: supplierNumber } });
  const suppliers = Array.isArray(found.body) ? (found.body as Array<Record<string, unknown>>) : [];
  const supplier = suppliers.find((s) => String(s['number']) === supplierNumber);
  if (!supplier) throw new PlatformRequestError('coupa', 'GET suppliers', 404, `no supplier with number ${supplierNumber} in procurement`);
  const onHold = change.kind === 'blocked';
  const updated = await context.client.request({ method: 'PUT', path: `/api/suppliers/${String(supplier['id'])}`, operation: 'PUT suppliers', body: { 'on-hold': onHold } });
  return { status: updated.status, summary: `supplier ${String(supplier['id'])} on-hold=${String(onHold)}` };
}
