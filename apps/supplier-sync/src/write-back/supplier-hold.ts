/**
 * Write-back of supplier holds to the Coupa-style platforms (Coupa Suppliers API, `/api/suppliers`):
 * a supplier blocked in the ERP must not stay orderable in procurement, nor payable in AP.
 *
 * Documented behaviour relied on (Coupa Compass, "Suppliers API (/suppliers)" and "2.2 Modify a
 * Supplier"): `GET /api/suppliers?number=<n>` finds the supplier by its number (Coupa's query
 * syntax), `PUT /api/suppliers/<id>` updates it. The hold field `on-hold` is **unconfirmed**: it
 * comes from a third-party schema of Coupa's API (schemas.apis.io "coupa-supplierupdate"), not a
 * Compass page; the simulators implement it as that schema names it. The AP platform speaks the
 * same API, so its hold is the same field on its own tenant.
 * Coupa documents no Idempotency-Key: a re-sent PUT of the same hold is harmless (it sets the same
 * value), and the delivery ledger keeps it to one call per event.
 */
import type { DeliveryContext, PlatformAnswer } from '@finmesh/connectors';
import { PlatformRequestError } from '@finmesh/connectors';
import type { SupplierBlocked, SupplierUnblocked } from '@finmesh/contracts';

export type SupplierHoldEvent = { readonly kind: 'blocked'; readonly event: SupplierBlocked } | { readonly kind: 'unblocked'; readonly event: SupplierUnblocked };

/** Which platform a hold goes to: procurement orders from the supplier, AP pays its invoices. */
export type HoldAudience = 'procurement' | 'ap';

/**
 * Block scopes each platform acts on: a hold on everything or on purchasing makes a supplier
 * unorderable; a hold on everything, on posting or on payment stops its invoices in AP.
 */
const SCOPES: Readonly<Record<HoldAudience, ReadonlySet<string>>> = {
  procurement: new Set(['ALL', 'PURCHASING']),
  ap: new Set(['ALL', 'POSTING', 'PAYMENT']),
};

/** Whether this hold change concerns the platform at all. */
export function concerns(audience: HoldAudience, change: SupplierHoldEvent): boolean {
  return SCOPES[audience].has(change.event.scope);
}

/** Whether a supplier with these open holds is on hold in that platform (the comparators' expectation). */
export function onHoldIn(audience: HoldAudience, scopes: readonly string[]): boolean {
  return scopes.some((s) => SCOPES[audience].has(s));
}

/** Finds the supplier by its number (Coupa's `number`), or refuses with the platform's 404. */
export async function findSupplier(context: DeliveryContext, supplierNumber: string): Promise<Record<string, unknown> | undefined> {
  const found = await context.client.request({ method: 'GET', path: '/api/suppliers', operation: 'GET suppliers', query: { number: supplierNumber } });
  const suppliers = Array.isArray(found.body) ? (found.body as Array<Record<string, unknown>>) : [];
  return suppliers.find((s) => String(s['number']) === supplierNumber);
}

/** Puts the supplier on hold in the platform, or releases it. */
export async function deliverSupplierHold(change: SupplierHoldEvent, supplierNumber: string, context: DeliveryContext): Promise<PlatformAnswer> {
  const supplier = await findSupplier(context, supplierNumber);
  if (!supplier) throw new PlatformRequestError(context.client.platform, 'GET suppliers', 404, `no supplier with number ${supplierNumber}`);
  const onHold = change.kind === 'blocked';
  const updated = await context.client.request({ method: 'PUT', path: `/api/suppliers/${String(supplier['id'])}`, operation: 'PUT suppliers', body: { 'on-hold': onHold } });
  return { status: updated.status, summary: `supplier ${String(supplier['id'])} on-hold=${String(onHold)}` };
}
