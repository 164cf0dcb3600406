import { supplierStanding, type SupplierState } from './supplier-replica';

const supplier = (over: Partial<SupplierState>): SupplierState => ({
  supplierId: 's-1',
  legalName: 'Acme',
  status: 'ACTIVE',
  blockedScopes: [],
  blockReason: null,
  sites: [],
  externalIds: {},
  ...over,
});

describe('supplierStanding', () => {
  it('is UNKNOWN before the supplier is replicated', () => {
    expect(supplierStanding(null)).toBe('UNKNOWN');
  });

  it('is BLOCKED for an ALL or POSTING block, or a BLOCKED status without scopes', () => {
    expect(supplierStanding(supplier({ blockedScopes: ['ALL'] }))).toBe('BLOCKED');
    expect(supplierStanding(supplier({ blockedScopes: ['POSTING'] }))).toBe('BLOCKED');
    expect(supplierStanding(supplier({ status: 'BLOCKED' }))).toBe('BLOCKED');
  });

  it('does not stop invoices for PURCHASING or PAYMENT blocks', () => {
    expect(supplierStanding(supplier({ blockedScopes: ['PURCHASING', 'PAYMENT'] }))).toBe('ACTIVE');
  });

  it('reports INACTIVE suppliers', () => {
    expect(supplierStanding(supplier({ status: 'INACTIVE' }))).toBe('INACTIVE');
  });
});
