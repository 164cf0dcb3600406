import { parseQueryFilter } from './http-io';

describe('q filter', () => {
  it('parses Attr=value terms, quoted or not', () => {
    expect(parseQueryFilter("InvoiceNumber='INV-1';SupplierNumber=S1")).toEqual([
      ['InvoiceNumber', 'INV-1'],
      ['SupplierNumber', 'S1'],
    ]);
    expect(parseQueryFilter(null)).toEqual([]);
  });

  it('refuses operators it does not implement', () => {
    expect(() => parseQueryFilter('InvoiceAmount > 5')).toThrow(/Unsupported q expression/);
  });
});
