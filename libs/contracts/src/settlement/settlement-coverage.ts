import { decimal, type Decimal } from '../money/decimal';

/** How far what was settled covers an invoice: fully, in part, or not at all. */
export type SettlementCoverage = 'full' | 'partial' | 'none';

/**
 * The one rule for "is this invoice paid": what was settled (payments plus discounts taken)
 * against the gross amount, in magnitudes, so that a credit note settled by negative amounts is
 * judged like an invoice (settled -50 of a -100 credit note is partial, not full). invoice-sync's
 * status, its AP write-back and payment-sync's balances all follow it.
 */
export function settlementCoverage(settled: string | Decimal, grossAmount: string | Decimal): SettlementCoverage {
  const paid = (typeof settled === 'string' ? decimal(settled) : settled).abs();
  const gross = (typeof grossAmount === 'string' ? decimal(grossAmount) : grossAmount).abs();
  if (paid.compareTo(gross) >= 0) return 'full';
  return paid.isPositive() ? 'partial' : 'none';
}
