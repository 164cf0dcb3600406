import { decimal } from '../money/decimal';
import { settlementCoverage } from './settlement-coverage';

describe('settlementCoverage', () => {
  it('judges invoices and credit notes alike, by magnitude', () => {
    expect(settlementCoverage('1210.0000', '1210.0000')).toBe('full');
    expect(settlementCoverage('1300.0000', '1210.0000')).toBe('full');
    expect(settlementCoverage('100.0000', '1210.0000')).toBe('partial');
    expect(settlementCoverage('0.0000', '1210.0000')).toBe('none');
    expect(settlementCoverage('-50.0000', '-100.0000')).toBe('partial');
    expect(settlementCoverage('-100.0000', '-100.0000')).toBe('full');
    expect(settlementCoverage(decimal('0'), decimal('-100'))).toBe('none');
  });
});
