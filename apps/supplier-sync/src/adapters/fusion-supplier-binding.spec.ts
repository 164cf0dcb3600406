import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FusionSupplierBlock, legalEntityDirectory } from '@finmesh/adapters';
import { blockingHold, supplierMasterFromFusion } from './fusion-supplier-binding';

const hold = (scope: FusionSupplierBlock['scope'], supplierSiteId: string | null, reasonCode: string = scope): FusionSupplierBlock => ({ scope, supplierSiteId, reasonCode, reason: null, blockedBy: 'ERP' });
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../libs/adapters/src/erp/fixtures/fusion-supplier.json'), 'utf8')) as Record<string, unknown>;

describe('Fusion supplier binding', () => {
  it('picks the hold behind a BLOCKED status: supplier ALL, then supplier PAYMENT, then a site payment hold', () => {
    expect(blockingHold([hold('PAYMENT', null), hold('ALL', null)]).scope).toBe('ALL');
    expect(blockingHold([hold('PURCHASING', 's1'), hold('PAYMENT', 's2', 'SITE'), hold('PAYMENT', null, 'SUPPLIER')]).reasonCode).toBe('SUPPLIER');
    expect(blockingHold([hold('PURCHASING', 's1'), hold('PAYMENT', 's2', 'SITE')]).reasonCode).toBe('SITE');
    expect(blockingHold([])).toMatchObject({ scope: 'ALL', reasonCode: 'ERP_HOLD' });
  });

  it('keeps a site purchasing hold as a hold without blocking the supplier', () => {
    const m = supplierMasterFromFusion(fixture, legalEntityDirectory({}));
    expect(m.record.status).toBe('ACTIVE');
    expect(m.block).toBeNull();
    expect(m.holds).toEqual([expect.objectContaining({ scope: 'PURCHASING', siteId: '300000047414521', reason: 'Quality audit pending' })]);
    expect(m.record.sites).toEqual([
      expect.objectContaining({ site: 'STUTTGART', procurementBusinessUnit: 'DE Business Unit', pay: true, purchasing: true, active: true }),
      expect.objectContaining({ siteId: '300000047414521' }),
    ]);
    expect(m.legalEntity.code).toBe('DE01');
  });
});
