import { decimalOfJsonValue, type Decimal } from '@finmesh/contracts';

/**
 * Amounts as the simulated Fusion API reads and echoes them. Input may be decimal text or a JSON
 * number (Fusion clients send both; a number is read through its shortest decimal text, see
 * decimalOfJsonValue); arithmetic is exact (Decimal of @finmesh/contracts).
 */

/** Fusion shows amounts with at least two fraction digits (cents), more when the value has them. */
const FUSION_MIN_FRACTION_DIGITS = 2;

/** The amount in a request field, or undefined when it is not a plain decimal. */
export function readFusionAmount(value: unknown): Decimal | undefined {
  return decimalOfJsonValue(value);
}

/** "1250.50", "-0.50", "7.00", "0.0001": the value's own digits, at least two. */
export function fusionAmountText(amount: Decimal): string {
  return amount.toFixed(Math.max(amount.scale, FUSION_MIN_FRACTION_DIGITS));
}
