/**
 * Write-back of the supplier master (name, status, payment terms, remit-to addresses) to the
 * Coupa-style platforms: procurement orders from the supplier, AP matches its invoices, and both
 * must name it, pay it on the terms and to the remit-to the ERP holds.
 *
 * Documented behaviour relied on (Coupa Compass, The Coupa Core API):
 *  - "Suppliers API (/suppliers)": `POST /api/suppliers` (create), `GET /api/suppliers?number=`
 *    (Coupa's query syntax on a queryable field), `PUT /api/suppliers/:id` (update); elements
 *    `name`, `number`, `status`, `payment-term` (its `code`, as in the example query
 *    `payment-term[code]=Net+30`);
 *  - ERP Integration Adapters, "2.1 Create a Supplier" / "2.2 Modify a Supplier": look the
 *    supplier up by a queryable field, create it when absent, else PUT the fields that changed;
 *  - "Remit-To Addresses API (/suppliers/addresses)": `GET|POST /api/suppliers/:supplier_id/addresses`,
 *    `PUT /api/suppliers/:supplier_id/addresses/:id`; elements `active`, `name`, `remit-to-code`,
 *    `street1`, `street2`, `city`, `state`, `postal-code`, `country` (its `code`),
 *    `external-src-name`, `external-src-ref`.
 * UNCONFIRMED: `status` values active / inactive (third-party schema, see supplier-hold.ts);
 * that `country` takes `{ code }` as other Coupa associations do.
 *
 * Exactly once without an idempotency key (Coupa documents none): every delivery first looks the
 * supplier up by its number and each remit-to address by its `remit-to-code`, then creates only
 * what is absent and updates only what differs. A delivery whose 2xx was lost (timeout, crash
 * before the ledger's commit) therefore finds its own effect on the retry and does nothing twice.
 *
 * Bank details go to neither platform: finmesh pays from the ERP (the payment run there uses the
 * ERP's bank accounts), procurement never pays, and AP needs the remit-to address to match an
 * invoice, not the account. The event's bank accounts and tax ids are never read here.
 */
import type { DeliveryContext, PlatformAnswer } from '@finmesh/connectors';
import type { SupplierUpserted } from '@finmesh/contracts';
import { findSupplier } from './supplier-hold';

/** The master data a Coupa-style platform holds for a supplier, as finmesh would write it. */
export interface CoupaSupplierMaster {
  readonly number: string;
  readonly name: string;
  readonly status: 'active' | 'inactive';
  readonly paymentTermCode: string;
  readonly remitTo: readonly CoupaRemitTo[];
}

export interface CoupaRemitTo {
  /** The ERP site code: the natural key of the remit-to address. */
  readonly code: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** Where the address sent comes from: the ERP's remit-to address, else the registered one. */
export function coupaSupplierMaster(event: SupplierUpserted, supplierNumber: string): CoupaSupplierMaster {
  const address = event.remitToAddress ?? event.registeredAddress;
  // v1 events carry no sites: the supplier's one remit-to is then named after the supplier number.
  const sites = 'sites' in event && Array.isArray(event.sites) ? event.sites.filter((s) => s.pay && s.active) : [];
  const codes = sites.length > 0 ? sites.map((s) => s.site) : [supplierNumber];
  return {
    number: supplierNumber,
    name: event.legalName,
    // A blocked supplier stays active: the hold flow puts it on hold, and a release must not need a reactivation.
    status: event.status === 'INACTIVE' ? 'inactive' : 'active',
    paymentTermCode: event.paymentTerms.code,
    remitTo: codes.map((code) => ({
      code,
      fields: {
        active: true,
        name: code,
        'remit-to-code': code,
        street1: address.line1,
        street2: address.line2 ?? null,
        city: address.city,
        state: address.region ?? null,
        'postal-code': address.postalCode ?? null,
        country: { code: address.country },
        'external-src-name': 'finmesh',
        'external-src-ref': `${supplierNumber}/${code}`,
      },
    })),
  };
}

/** The fields of `wanted` that `current` lacks or holds differently (associations by their code). */
function changed(current: Record<string, unknown>, wanted: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const diff: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    const now = current[key];
    const same = typeof value === 'object' && value !== null ? JSON.stringify(codeOf(now)) === JSON.stringify(codeOf(value)) : now === value;
    if (!same) diff[key] = value;
  }
  return diff;
}

function codeOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'code' in value ? (value as { code: unknown }).code : value;
}

/** Creates or updates the supplier and its remit-to addresses; answers what it did. */
export async function deliverSupplierMaster(master: CoupaSupplierMaster, context: DeliveryContext): Promise<PlatformAnswer> {
  const { client } = context;
  const header = { name: master.name, status: master.status, 'payment-term': { code: master.paymentTermCode } };
  const done: string[] = [];
  let supplier = await findSupplier(context, master.number);
  let status = 200;
  if (!supplier) {
    const created = await client.request({ method: 'POST', path: '/api/suppliers', operation: 'POST suppliers', body: { ...header, number: master.number } });
    supplier = created.body as Record<string, unknown>;
    status = created.status;
    done.push(`created supplier ${String(supplier['id'])}`);
  } else {
    const diff = changed(supplier, header);
    if (Object.keys(diff).length > 0) {
      status = (await client.request({ method: 'PUT', path: `/api/suppliers/${String(supplier['id'])}`, operation: 'PUT suppliers', body: diff })).status;
      done.push(`updated ${Object.keys(diff).join(', ')}`);
    }
  }
  const base = `/api/suppliers/${String(supplier['id'])}/addresses`;
  const existing = (await client.request({ method: 'GET', path: base, operation: 'GET supplier addresses' })).body;
  const addresses = Array.isArray(existing) ? (existing as Array<Record<string, unknown>>) : [];
  for (const remit of master.remitTo) {
    const current = addresses.find((a) => a['remit-to-code'] === remit.code);
    if (!current) {
      await client.request({ method: 'POST', path: base, operation: 'POST supplier addresses', body: remit.fields });
      done.push(`remit-to ${remit.code} created`);
      continue;
    }
    const diff = changed(current, remit.fields);
    if (Object.keys(diff).length > 0) {
      await client.request({ method: 'PUT', path: `${base}/${String(current['id'])}`, operation: 'PUT supplier addresses', body: diff });
      done.push(`remit-to ${remit.code} updated`);
    }
  }
  // Remit-to addresses finmesh wrote for sites the ERP no longer pays from are deactivated, never deleted.
  for (const stale of addresses.filter((a) => a['external-src-name'] === 'finmesh' && a['active'] !== false && !master.remitTo.some((r) => r.code === a['remit-to-code']))) {
    await client.request({ method: 'PUT', path: `${base}/${String(stale['id'])}`, operation: 'PUT supplier addresses', body: { active: false } });
    done.push(`remit-to ${String(stale['remit-to-code'])} deactivated`);
  }
  return { status, summary: `supplier ${String(supplier['id'])}: ${done.length > 0 ? done.join('; ') : 'already up to date'}` };
}
