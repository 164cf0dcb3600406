import type { SupplierMaster } from './supplier-master';
import { decideSupplierEvents, supplierContentHash, type StoredSupplierState } from './supplier-transitions';

const master = (over: Partial<SupplierMaster['record']> = {}, block: SupplierMaster['block'] = null): SupplierMaster => ({
  supplierNumber: '1013',
  record: {
    supplierId: 's-1', externalIds: { ERP: '300100' }, legalName: 'Schraubenwerk Müller GmbH', tradingName: null, status: 'ACTIVE',
    registeredAddress: { line1: 'Industriestraße 12', line2: null, city: 'Stuttgart', region: null, postalCode: '70565', country: 'DE' },
    remitToAddress: null, taxIds: [], bankAccounts: [], paymentTerms: { code: 'N30', netDays: 30, discountPercent: null, discountDays: null },
    defaultCurrency: 'EUR', contactEmail: null, sites: [], ...over,
  },
  block, holds: block ? [{ ...block, siteId: null }] : [], legalEntity: { code: 'DE01', country: 'DE', name: null }, occurredAt: new Date(0), changedBy: 'erp.user',
});
const stored = (m: SupplierMaster, version = 1): StoredSupplierState => ({
  status: m.record.status, blockScope: m.block?.scope ?? null, contentHash: supplierContentHash(m), version,
});
const hold = { scope: 'ALL' as const, reasonCode: 'SANCTIONS', reason: null, blockedBy: 'erp.user' };

describe('decideSupplierEvents', () => {
  it('publishes an upsert for a new supplier, nothing for an identical re-send', () => {
    expect(decideSupplierEvents(undefined, master())).toMatchObject({ changed: true, version: 1, blocked: null, unblockedScope: null });
    expect(decideSupplierEvents(stored(master()), master())).toMatchObject({ changed: false, version: 1 });
  });

  it('blocks when the status becomes BLOCKED, again when the scope changes, not on other changes while blocked', () => {
    const blocked = master({ status: 'BLOCKED' }, hold);
    expect(decideSupplierEvents(stored(master()), blocked)).toMatchObject({ changed: true, version: 2, blocked: hold });
    expect(decideSupplierEvents(undefined, blocked).blocked).toEqual(hold);
    const widened = master({ status: 'BLOCKED' }, { ...hold, scope: 'PAYMENT' });
    expect(decideSupplierEvents(stored(blocked), widened).blocked).toMatchObject({ scope: 'PAYMENT' });
    expect(decideSupplierEvents(stored(blocked), master({ status: 'BLOCKED', legalName: 'Renamed' }, hold)).blocked).toBeNull();
  });

  it('unblocks BLOCKED -> ACTIVE with the scope that was held, but not BLOCKED -> INACTIVE', () => {
    const blocked = stored(master({ status: 'BLOCKED' }, { ...hold, scope: 'PAYMENT' }), 3);
    expect(decideSupplierEvents(blocked, master())).toMatchObject({ changed: true, version: 4, unblockedScope: 'PAYMENT' });
    expect(decideSupplierEvents(blocked, master({ status: 'INACTIVE' })).unblockedScope).toBeNull();
  });
});
