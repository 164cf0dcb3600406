import { DECIMAL_FIELDS } from '../generated/events';

/**
 * The scales of the contract's decimals, read from the generated contract types (DECIMAL_FIELDS,
 * emitted from schemas/common/*.avsc by the TypeScript generator) instead of re-typed, so a schema
 * change cannot leave code rounding to an old scale.
 */

/** Digits of Money.amount, decimal(19,4); quantities and unit prices have the same precision. */
export const MONEY_PRECISION: number = DECIMAL_FIELDS['Money.amount'].precision;
/** Fraction digits of Money.amount (booked amounts, totals, tax amounts). */
export const MONEY_SCALE: number = DECIMAL_FIELDS['Money.amount'].scale;
/** Fraction digits of quantities (LineItem, PurchaseOrderLine, GoodsReceiptLine, MatchLineResult). */
export const QUANTITY_SCALE: number = DECIMAL_FIELDS['LineItem.quantity'].scale;
/** Fraction digits of UnitPrice.amount: prices per unit carry more digits than booked amounts. */
export const UNIT_PRICE_SCALE: number = DECIMAL_FIELDS['UnitPrice.amount'].scale;
/** Fraction digits of percentages: TaxLine.rate and PaymentTerms.discountPercent (19.0000 = 19 %). */
export const PERCENT_SCALE: number = DECIMAL_FIELDS['TaxLine.rate'].scale;
