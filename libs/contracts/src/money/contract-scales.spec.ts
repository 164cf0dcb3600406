import { DECIMAL_FIELDS } from '../generated/events';
import { MONEY_PRECISION, MONEY_SCALE, PERCENT_SCALE, QUANTITY_SCALE, UNIT_PRICE_SCALE } from './contract-scales';

describe('contract scales', () => {
  it('are the scales of schemas/common', () => {
    expect({ MONEY_PRECISION, MONEY_SCALE, QUANTITY_SCALE, UNIT_PRICE_SCALE, PERCENT_SCALE }).toEqual({
      MONEY_PRECISION: 19,
      MONEY_SCALE: 4,
      QUANTITY_SCALE: 4,
      UNIT_PRICE_SCALE: 6,
      PERCENT_SCALE: 4,
    });
  });

  it('hold for every field of their kind, so one constant per kind is enough', () => {
    const scaleOf = (pattern: RegExp): number[] => [...new Set(Object.entries(DECIMAL_FIELDS).filter(([k]) => pattern.test(k)).map(([, v]) => v.scale))];
    expect(scaleOf(/[qQ]uantity/)).toEqual([QUANTITY_SCALE]);
    expect(scaleOf(/^Money\./)).toEqual([MONEY_SCALE]);
    expect(scaleOf(/\.(rate|discountPercent)$/)).toEqual([PERCENT_SCALE]);
    expect(scaleOf(/^UnitPrice\./)).toEqual([UNIT_PRICE_SCALE]);
  });
});
