import type { LegalEntityLookup } from '@finmesh/adapters';
import type { LegalEntityRef, SupplierSite } from '@finmesh/contracts';

export type PaySiteChoice =
  | { readonly kind: 'site'; readonly site: string }
  /** The supplier's master came without sites (a v1 event, a platform without sites). */
  | { readonly kind: 'unknown' }
  | { readonly kind: 'none'; readonly reason: string };

/**
 * The supplier site an invoice of `legalEntity` is posted to: an active pay site whose
 * procurement business unit belongs to that legal entity (FINMESH_LEGAL_ENTITIES maps business
 * units to legal entities). Several qualify: the first by site code, so every attempt picks the
 * same. A supplier with sites but none for the legal entity cannot be invoiced there: posting it to
 * another business unit's site would book the liability in the wrong company.
 */
export function paySiteFor(sites: readonly SupplierSite[], legalEntity: LegalEntityRef, legalEntities: LegalEntityLookup): PaySiteChoice {
  if (sites.length === 0) return { kind: 'unknown' };
  const pay = sites.filter((s) => s.active && s.pay && s.site !== '');
  const inEntity = pay
    .filter((s) => s.procurementBusinessUnit !== null && legalEntities({ kind: 'business-unit', value: s.procurementBusinessUnit })?.code === legalEntity.code)
    .sort((a, b) => a.site.localeCompare(b.site));
  const chosen = inEntity[0];
  if (chosen) return { kind: 'site', site: chosen.site };
  const units = [...new Set(pay.map((s) => s.procurementBusinessUnit ?? '(no business unit)'))];
  return {
    kind: 'none',
    reason: pay.length === 0
      ? 'the supplier has no active pay site in the ERP'
      : `the supplier has no active pay site in a business unit of legal entity ${legalEntity.code} (pay sites in: ${units.join(', ')})`,
  };
}
