/**
 * Consistency checks between figures of one document. They record problems with both figures so
 * the clerk sees the discrepancy without recomputing it.
 */
import type { ProblemCollector } from './mapping-error';
import { decimal, MONEY_SCALE, multiplyDecimals, sumDecimals } from '@finmesh/contracts';

/**
 * Default tolerance for quantity x unit price vs line amount: one cent. Platforms round each line
 * to the currency's minor unit; a larger gap means the line is wrong, not rounded.
 */
export const DEFAULT_LINE_TOLERANCE = '0.0100';

export function checkLineAmount(
  problems: ProblemCollector,
  amountPath: string,
  quantity: string | undefined,
  unitPrice: string | undefined,
  amount: string | undefined,
  tolerance: string = DEFAULT_LINE_TOLERANCE,
): void {
  if (quantity === undefined || unitPrice === undefined || amount === undefined) return;
  const expected = multiplyDecimals(quantity, unitPrice, MONEY_SCALE);
  if (decimal(expected).sub(decimal(amount)).abs().compareTo(decimal(tolerance)) > 0) {
    problems.add(amountPath, `quantity ${quantity} x unit price ${unitPrice} = ${expected}, but the line amount is ${amount} (tolerance ${tolerance})`);
  }
}

/**
 * Header figure vs the sum of its parts. Exact: the parts are already rounded, so their sum is
 * what the header must say; a tolerance here would hide a missing or duplicated line.
 */
export function checkSum(
  problems: ProblemCollector,
  headerPath: string,
  header: string | undefined,
  partsLabel: string,
  parts: readonly (string | undefined)[],
): void {
  if (header === undefined || parts.some((p) => p === undefined)) return;
  const sum = sumDecimals(parts as string[], MONEY_SCALE);
  if (sum !== header) {
    problems.add(headerPath, `is ${header} but the sum of ${partsLabel} is ${sum}`);
  }
}
