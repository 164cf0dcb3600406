import { collection, parseOrderBy } from './collection';
import { matches, parseQ } from './q-filter';

describe('q filter', () => {
  it('parses Attr=value terms joined by ";", quoted or not (REST framework 1)', () => {
    expect(parseQ("InvoiceNumber='INV-1';SupplierNumber=S1")).toEqual([
      { attr: 'InvoiceNumber', op: '=', value: 'INV-1' },
      { attr: 'SupplierNumber', op: '=', value: 'S1' },
    ]);
    expect(parseQ(null)).toEqual([]);
    expect(parseQ("Supplier='O''Brien AG'")).toEqual([{ attr: 'Supplier', op: '=', value: "O'Brien AG" }]);
  });

  it('parses comparisons joined by AND (REST framework 2+)', () => {
    expect(parseQ("LastUpdateDate > '2025-03-01T10:00:00.000Z' and LastUpdateDate <= '2025-03-02T00:00:00Z' AND PaymentStatus <> 'Voided'")).toEqual([
      { attr: 'LastUpdateDate', op: '>', value: '2025-03-01T10:00:00.000Z' },
      { attr: 'LastUpdateDate', op: '<=', value: '2025-03-02T00:00:00Z' },
      { attr: 'PaymentStatus', op: '!=', value: 'Voided' },
    ]);
    expect(parseQ("Description = 'sand AND gravel'")).toEqual([{ attr: 'Description', op: '=', value: 'sand AND gravel' }]);
  });

  it('refuses what it does not implement', () => {
    expect(() => parseQ("InvoiceNumber='A' OR InvoiceNumber='B'")).toThrow(/OR, LIKE/);
    expect(() => parseQ("Supplier LIKE 'A%'")).toThrow(/OR, LIKE/);
    expect(() => parseQ("(InvoiceNumber='A')")).toThrow(/parentheses/);
    expect(() => parseQ('InvoiceAmount > five dollars')).toThrow(/quote it/);
    expect(() => parseQ("InvoiceNumber='A")).toThrow(/not closed/);
  });

  it('compares timestamps as instants, numbers as numbers, the rest as text', () => {
    const row = { LastUpdateDate: '2025-03-01T10:00:00.001Z', InvoiceAmount: '1210.50', CheckId: 300100, ValidationStatus: 'Validated' };
    expect(matches(row, parseQ("LastUpdateDate > '2025-03-01T10:00:00Z'"))).toBe(true);
    expect(matches(row, parseQ("LastUpdateDate > '2025-03-01T11:00:00+01:00'"))).toBe(true);
    expect(matches(row, parseQ("LastUpdateDate >= '2025-03-01T10:00:00.001Z'"))).toBe(true);
    expect(matches(row, parseQ("LastUpdateDate > '2025-03-01T10:00:00.001Z'"))).toBe(false);
    expect(matches(row, parseQ('InvoiceAmount > 999'))).toBe(true);
    expect(matches(row, parseQ('CheckId=300100;ValidationStatus=Validated'))).toBe(true);
    expect(matches({ ClearingDate: null }, parseQ("ClearingDate > '2025-01-01'"))).toBe(false);
  });
});

describe('collections', () => {
  const rows = [
    { Id: 1, LastUpdateDate: '2025-03-01T10:00:00.300Z' },
    { Id: 2, LastUpdateDate: '2025-03-01T10:00:00.100Z' },
    { Id: 3, LastUpdateDate: '2025-03-01T10:00:00.200Z' },
    { Id: 4, LastUpdateDate: '2025-03-01T10:00:00.100Z' },
  ];
  const page = (query: string) => collection(rows, new URL(`http://x/r?${query}`), 'r', (r) => r.Id);

  it('orders by LastUpdateDate (ties keep their natural order), pages with limit/offset/hasMore', () => {
    expect(page('orderBy=LastUpdateDate&limit=2')).toMatchObject({ items: [2, 4], count: 2, hasMore: true, limit: 2, offset: 0 });
    expect(page('orderBy=LastUpdateDate&limit=2&offset=2')).toMatchObject({ items: [3, 1], count: 2, hasMore: false });
    expect(page('orderBy=LastUpdateDate:desc,Id:desc')).toMatchObject({ items: [1, 3, 4, 2] });
    expect(page("q=LastUpdateDate >= '2025-03-01T10:00:00.200Z'&totalResults=true")).toMatchObject({ items: [1, 3], totalResults: 2 });
    expect(page('limit=9999').limit).toBe(500);
    expect(() => parseOrderBy('LastUpdateDate:sideways')).toThrow(/orderBy/);
    expect(() => page('limit=-1')).toThrow(/limit/);
  });
});
