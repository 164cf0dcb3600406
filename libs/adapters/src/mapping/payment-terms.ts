/**
 * Payment terms from a terms NAME, for platforms that only expose the name (Oracle Fusion supplier
 * sites and invoices carry `PaymentTerms: "2/10 Net 30"`). Recognised: "Net 30", "N30", "NET30",
 * "2/10 Net 30", "2/10N30", "2% 10 Net 30", "Immediate". Anything else is reported rather than
 * guessed, and a caller with a terms catalogue can pass its own lookup.
 */
import { PERCENT_SCALE, type PaymentTerms } from '@finmesh/contracts';
import { parseDecimal } from './field-reader';

const TERMS = /^(?:(\d+(?:\.\d+)?)\s*%?\s*\/?\s*(\d+)\s*,?\s*)?n(?:et)?\s*(\d+)$/i;

export type PaymentTermsLookup = (name: string) => PaymentTerms | undefined;

export const parsePaymentTermsName: PaymentTermsLookup = (name) => {
  const trimmed = name.trim();
  if (/^(immediate|due on receipt)$/i.test(trimmed)) {
    return { code: trimmed, netDays: 0, discountPercent: null, discountDays: null };
  }
  const m = TERMS.exec(trimmed);
  if (!m) return undefined;
  const percent = m[1] === undefined ? undefined : parseDecimal(m[1], PERCENT_SCALE);
  if (percent && 'reason' in percent) return undefined;
  return {
    code: trimmed,
    netDays: Number(m[3]),
    discountPercent: percent ? percent.value : null,
    discountDays: m[2] === undefined ? null : Number(m[2]),
  };
};
