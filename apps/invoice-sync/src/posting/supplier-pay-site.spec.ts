import { legalEntityDirectory } from '@finmesh/adapters';
import type { SupplierSite } from '@finmesh/contracts';
import { paySiteFor } from './supplier-pay-site';

const directory = legalEntityDirectory({
  FINMESH_LEGAL_ENTITIES: JSON.stringify([
    { kind: 'business-unit', value: 'DE Business Unit', legalEntity: { code: 'DE01', country: 'DE', name: null } },
    { kind: 'business-unit', value: 'NL Business Unit', legalEntity: { code: 'NL02', country: 'NL', name: null } },
  ]),
});
const DE01 = { code: 'DE01', country: 'DE', name: null };
const site = (over: Partial<SupplierSite>): SupplierSite => ({ siteId: '1', site: 'SITE', procurementBusinessUnit: 'DE Business Unit', pay: true, purchasing: true, active: true, ...over });

describe('paySiteFor', () => {
  it("takes the active pay site of the invoice's legal entity, the same one every time", () => {
    const sites = [
      site({ site: 'AMSTERDAM', procurementBusinessUnit: 'NL Business Unit' }),
      site({ site: 'STUTTGART' }),
      site({ site: 'BERLIN' }),
      site({ site: 'OLD', active: false }),
      site({ site: 'PURCHASING-ONLY', pay: false }),
    ];
    expect(paySiteFor(sites, DE01, directory)).toEqual({ kind: 'site', site: 'BERLIN' });
    expect(paySiteFor(sites, { code: 'NL02', country: 'NL', name: null }, directory)).toEqual({ kind: 'site', site: 'AMSTERDAM' });
  });

  it('says when the master carries no sites, and refuses another business unit\'s site', () => {
    expect(paySiteFor([], DE01, directory)).toEqual({ kind: 'unknown' });
    expect(paySiteFor([site({ site: 'AMSTERDAM', procurementBusinessUnit: 'NL Business Unit' })], DE01, directory)).toEqual({
      kind: 'none',
      reason: 'the supplier has no active pay site in a business unit of legal entity DE01 (pay sites in: NL Business Unit)',
    });
    expect(paySiteFor([site({ pay: false })], DE01, directory)).toEqual({ kind: 'none', reason: 'the supplier has no active pay site in the ERP' });
  });
});
