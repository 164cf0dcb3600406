import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { Decimal } from '@finmesh/contracts';
import { booleanSetting, decimalSetting, parseRulesYaml, validateRules } from '../matching/rules-file';

/**
 * Tax code rules (config/tax-codes.yaml): the tax codes valid in each country of a legal entity,
 * with their rate (fixed, or a range where it depends on the jurisdiction, as US sales tax does),
 * and the rounding tolerance of a tax amount.
 */

export interface TaxCodeRule {
  readonly code: string;
  readonly country: string;
  readonly description: string;
  /** Fixed rate in percent, or null when the rate is a range. */
  readonly rate: string | null;
  readonly minRate: string | null;
  readonly maxRate: string | null;
  /** The buyer self-assesses: the invoice carries no tax for this code. */
  readonly reverseCharge: boolean;
}

export interface TaxCodeRules {
  /** Country -> tax code -> rule. */
  readonly countries: Readonly<Record<string, Readonly<Record<string, TaxCodeRule>>>>;
  readonly rounding: {
    /** Allowed |tax amount - taxable x rate| per tax line, in the invoice currency. */
    readonly defaultTolerance: string;
    /** Per-currency tolerance where the default does not fit (currencies without minor units). */
    readonly currencies: Readonly<Record<string, string>>;
  };
}

const percent = decimalSetting('0', '100');

const taxCodeSchema = z
  .object({
    description: z.string({ invalid_type_error: 'must be text' }).min(1, 'must not be empty'),
    rate: percent.optional(),
    minRate: percent.optional(),
    maxRate: percent.optional(),
    reverseCharge: booleanSetting.default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    const range = c.minRate !== undefined || c.maxRate !== undefined;
    if (c.rate !== undefined && range) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rate'], message: 'set either rate or minRate/maxRate, not both' });
    } else if (c.rate === undefined && (c.minRate === undefined || c.maxRate === undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [range ? (c.minRate === undefined ? 'minRate' : 'maxRate') : 'rate'], message: 'is required (a fixed rate, or both minRate and maxRate)' });
    } else if (c.minRate !== undefined && c.maxRate !== undefined && Decimal.parse(c.minRate).compareTo(Decimal.parse(c.maxRate)) > 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['maxRate'], message: `must not be below minRate ${c.minRate}` });
    }
    if (c.reverseCharge && c.rate !== undefined && !Decimal.parse(c.rate).isZero()) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rate'], message: 'must be 0 for a reverse-charge code (the supplier charges no tax)' });
    }
  });

const countryCode = /^[A-Z]{2}$/;
const currencyCode = /^[A-Z]{3}$/;

const fileSchema = z
  .object({
    rounding: z
      .object({
        defaultTolerance: decimalSetting('0'),
        currencies: z.record(decimalSetting('0')).default({}),
      })
      .strict(),
    countries: z.record(z.record(taxCodeSchema)),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const country of Object.keys(file.countries)) {
      if (!countryCode.test(country)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['countries', country], message: 'must be an ISO 3166-1 alpha-2 country code such as NL' });
      }
    }
    for (const currency of Object.keys(file.rounding.currencies)) {
      if (!currencyCode.test(currency)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rounding', 'currencies', currency], message: 'must be an ISO 4217 currency code such as JPY' });
      }
    }
  });

export function parseTaxCodeRules(yamlText: string, source = 'tax-codes.yaml'): TaxCodeRules {
  const file = validateRules(fileSchema, parseRulesYaml(yamlText, source), source);
  const countries: Record<string, Record<string, TaxCodeRule>> = {};
  for (const [country, codes] of Object.entries(file.countries)) {
    countries[country] = Object.fromEntries(
      Object.entries(codes).map(([code, c]) => [
        code,
        {
          code,
          country,
          description: c.description,
          rate: c.rate ?? null,
          minRate: c.minRate ?? null,
          maxRate: c.maxRate ?? null,
          reverseCharge: c.reverseCharge,
        },
      ]),
    );
  }
  return { countries, rounding: file.rounding };
}

export const TAX_CODES_FILE = resolve(__dirname, '../../config/tax-codes.yaml');

/** Reads and validates the tax code file (the only I/O here; call once at start-up). */
export function loadTaxCodeRules(filePath: string = TAX_CODES_FILE): TaxCodeRules {
  return parseTaxCodeRules(readFileSync(filePath, 'utf8'), filePath);
}
