/**
 * The code lists and check digits finmesh verifies beyond a value's shape, in the inbound mapping
 * (libs/adapters) and in the events' business rules (business-rule-set.ts):
 *  - ISO 4217 currencies: the active codes the runtime's ICU/CLDR data knows
 *    (`Intl.supportedValuesOf('currency')`), so `ZZZ` is refused while every real currency passes;
 *  - ISO 3166-1 alpha-2 countries: the regions CLDR names (`Intl.DisplayNames`), without the codes
 *    that are not assigned ISO countries (exceptionally reserved EU, UK, UN, EZ; CLDR's ZZ and
 *    pseudo-regions);
 *  - IBAN (ISO 13616): country code, length 15-34, and the mod-97 check digits;
 *  - BIC (ISO 9362): 4 letters bank code, an ISO country, 2 location characters, optional branch.
 * A refused value is never echoed back (it may be a bank account): callers name the field only.
 */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** The active ISO 4217 codes this runtime knows, sorted (for checks that run elsewhere, e.g. in SQL). */
export const ISO_4217_CODES: readonly string[] = [...CURRENCIES].sort();
const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
const NOT_ISO_COUNTRIES: ReadonlySet<string> = new Set(['EU', 'EZ', 'UK', 'UN', 'ZZ', 'QO', 'XA', 'XB']);

export function isIso4217(code: string): boolean {
  return CURRENCIES.has(code);
}

/** Answers per code: ICU's region lookup is slow and every consumer checks every record's countries. */
const COUNTRY_ANSWERS = new Map<string, boolean>();

export function isIso3166Alpha2(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_ISO_COUNTRIES.has(code)) return false;
  let known = COUNTRY_ANSWERS.get(code);
  if (known === undefined) {
    const name = REGION_NAMES.of(code);
    known = name !== undefined && name !== code && name !== 'Unknown Region';
    COUNTRY_ANSWERS.set(code, known); // at most 26 x 26 entries
  }
  return known;
}

/** Why an IBAN (spaces removed) is not one, or undefined when it is. */
export function ibanProblem(iban: string): string | undefined {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return 'is not an IBAN (country code, 2 check digits, 11 to 30 letters or digits)';
  if (!isIso3166Alpha2(iban.slice(0, 2))) return 'is not an IBAN (unknown country code)';
  // ISO 13616 / ISO 7064 mod 97-10: move the first four characters to the end, letters to 10..35.
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const ch of rearranged) {
    const digits = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1 ? undefined : 'is not an IBAN (its check digits do not match)';
}

export function isBic(bic: string): boolean {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic) && isIso3166Alpha2(bic.slice(4, 6));
}
