import { Decimal, decimal, MONEY_SCALE, PERCENT_SCALE, type MatchExceptionDetail } from '@finmesh/contracts';
import type { TaxCodeRule, TaxCodeRules } from './tax-code-rules';

/**
 * Tax code validation of an invoice against the legal entity's country: the ERP rejects a posting
 * with a tax code its company does not have, and a wrong rate or tax amount becomes a wrong VAT
 * return, so both are caught before matching. Every problem is a TAX_CODE_INVALID reason (the
 * contract has no separate code for a wrong tax amount; the figures say which it is):
 *
 * - each invoice line's taxCode (null = not determined yet: not an error here) must exist for the
 *   country;
 * - each tax line's code must exist for the country, its rate must be the code's rate (or within
 *   its range), and its amount must equal taxableAmount x rate / 100 within the rounding tolerance
 *   of the invoice currency. The stated rate is used for the amount check, so a wrong rate and a
 *   miscalculated amount are reported separately.
 */

export interface TaxedLine {
  readonly lineNumber: number;
  readonly taxCode: string | null;
}

export interface TaxLineToCheck {
  readonly taxCode: string;
  /** Percent, decimal string. */
  readonly rate: string;
  readonly taxableAmount: { readonly amount: string };
  readonly amount: { readonly amount: string };
}

/** The parts of an InvoiceReceived the tax checks read (an InvoiceReceived fits as is). */
export interface InvoiceTaxData {
  readonly currency: string;
  readonly lines: readonly TaxedLine[];
  readonly taxLines: readonly TaxLineToCheck[];
}

export function validateTaxCodes(invoice: InvoiceTaxData, legalEntityCountry: string, rules: TaxCodeRules): MatchExceptionDetail[] {
  const country = legalEntityCountry.toUpperCase();
  const codes = rules.countries[country];
  if (codes === undefined) {
    const used = new Set([...invoice.lines.map((l) => l.taxCode), ...invoice.taxLines.map((t) => t.taxCode)].filter((c) => c !== null));
    return used.size === 0 ? [] : [invalid(null, `No tax codes are configured for country ${country}; cannot accept ${[...used].join(', ')}.`)];
  }
  const known = (code: string): TaxCodeRule | undefined => (Object.hasOwn(codes, code) ? codes[code] : undefined);
  const exceptions: MatchExceptionDetail[] = [];

  for (const line of invoice.lines) {
    if (line.taxCode !== null && known(line.taxCode) === undefined) {
      exceptions.push(invalid(line.lineNumber, `Line ${line.lineNumber}: tax code ${line.taxCode} is not valid in ${country} (valid: ${Object.keys(codes).join(', ')}).`));
    }
  }

  const tolerance = decimal(rules.rounding.currencies[invoice.currency] ?? rules.rounding.defaultTolerance);
  for (const taxLine of invoice.taxLines) {
    const rule = known(taxLine.taxCode);
    const rate = decimal(taxLine.rate);
    if (rule === undefined) {
      exceptions.push(invalid(null, `Tax line ${taxLine.taxCode}: tax code is not valid in ${country}.`));
    } else if (!rateAllowed(rule, rate)) {
      const expected = rule.rate === null ? null : decimal(rule.rate);
      exceptions.push({
        code: 'TAX_CODE_INVALID',
        lineNumber: null,
        expected: expected?.toFixed(PERCENT_SCALE) ?? null,
        actual: rate.toFixed(PERCENT_SCALE),
        variance: expected ? rate.sub(expected).toFixed(PERCENT_SCALE) : null,
        tolerance: null,
        message:
          rule.rate !== null
            ? `Tax line ${taxLine.taxCode}: rate ${rate.toFixed(2)} % but the code's rate is ${decimal(rule.rate).toFixed(2)} %.`
            : `Tax line ${taxLine.taxCode}: rate ${rate.toFixed(2)} % is outside ${rule.minRate} - ${rule.maxRate} %.`,
      });
    }

    const expectedAmount = decimal(taxLine.taxableAmount.amount).percentOf(rate);
    const actual = decimal(taxLine.amount.amount);
    const variance = actual.sub(expectedAmount);
    if (variance.abs().compareTo(tolerance) > 0) {
      exceptions.push({
        code: 'TAX_CODE_INVALID',
        lineNumber: null,
        expected: expectedAmount.toFixed(MONEY_SCALE),
        actual: actual.toFixed(MONEY_SCALE),
        variance: variance.toFixed(MONEY_SCALE),
        tolerance: tolerance.toFixed(MONEY_SCALE),
        message:
          `Tax line ${taxLine.taxCode}: tax ${actual.toFixed(MONEY_SCALE)} ${invoice.currency} on ${decimal(taxLine.taxableAmount.amount).toFixed(MONEY_SCALE)} ` +
          `at ${rate.toFixed(2)} % should be ${expectedAmount.toFixed(MONEY_SCALE)} (rounding allowed ${tolerance.toFixed(MONEY_SCALE)}).`,
      });
    }
  }
  return exceptions;
}

function rateAllowed(rule: TaxCodeRule, rate: Decimal): boolean {
  if (rule.rate !== null) return rate.equals(decimal(rule.rate));
  return rate.compareTo(decimal(rule.minRate ?? '0')) >= 0 && rate.compareTo(decimal(rule.maxRate ?? '100')) <= 0;
}

function invalid(lineNumber: number | null, message: string): MatchExceptionDetail {
  return { code: 'TAX_CODE_INVALID', lineNumber, expected: null, actual: null, variance: null, tolerance: null, message };
}
