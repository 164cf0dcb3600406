import { Decimal } from '@finmesh/contracts';
import { fusionAmountText, readFusionAmount } from './fusion-amounts';

describe('Fusion amounts', () => {
  it('sums exactly where floats would drift', () => {
    const values = ['0.1', '0.2', 0.3].map((v) => readFusionAmount(v)!);
    expect(fusionAmountText(Decimal.sum(values))).toBe('0.60');
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
  });

  it('keeps the largest scale and handles large and negative amounts', () => {
    const values = ['99999999999999.9999', '0.0001', '-10.5'].map((v) => readFusionAmount(v)!);
    expect(fusionAmountText(Decimal.sum(values))).toBe('99999999999989.5000');
    expect(fusionAmountText(readFusionAmount('-0.5')!)).toBe('-0.50');
    expect(fusionAmountText(readFusionAmount(7)!)).toBe('7.00');
  });

  it('never echoes a negative zero', () => {
    expect(fusionAmountText(readFusionAmount('-0.00')!)).toBe('0.00');
  });

  it('refuses non-decimals', () => {
    for (const bad of ['', 'abc', '1e5', 1e21, Number.NaN, '1.', '.5', '1,5', null, {}]) {
      expect(readFusionAmount(bad)).toBeUndefined();
    }
  });
});
