import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { booleanSetting, decimalSetting, parseRulesYaml, validateRules } from './rules-file';

/**
 * Match tolerances (config/match-tolerances.yaml): how far an invoice may deviate from its PO and
 * receipts and still match automatically. Three levels, the most specific winning per setting:
 * `defaults` <- the region of the legal entity's country <- the legal entity itself. Overrides are
 * partial: an entity that only tightens the unit-price percent keeps everything else from its
 * region and the defaults.
 */

/**
 * How a percent limit and an absolute limit combine into one allowed variance:
 * STRICTER = the variance must be within every limit that is set (the smaller one applies) — a 2 %
 * tolerance does not let a 40,000.00 line drift by 800.00 when the absolute cap is 50.00;
 * LOOSER = within at least one of them (the larger applies) — lets cheap items vary by a few cents
 * even when that is many percent. With no limit set at all the tolerance is zero (exact match).
 */
export type LimitCombination = 'STRICTER' | 'LOOSER';

export interface ToleranceLimit {
  /** Percent of the expected figure (2.5 = 2.5 %), or null for no percent limit. */
  readonly percent: string | null;
  /** Absolute amount in the invoice currency (per unit for unit prices), or null for none. */
  readonly absolute: string | null;
  readonly combine: LimitCombination;
}

export interface UnitPriceTolerance extends ToleranceLimit {
  /** True: an invoice price below the PO price always passes (the company pays less). */
  readonly acceptLowerPrice: boolean;
}

export interface QuantityTolerance {
  /** Percent by which the cumulative invoiced quantity may exceed ordered (2-way) / received (3-way). */
  readonly percent: string;
  /**
   * True: an invoice may bill less than the basis (partial delivery / partial invoicing is normal).
   * False: the cumulative invoiced quantity must reach the basis within `percent` as well.
   */
  readonly acceptUnderDelivery: boolean;
}

export interface MatchTolerances {
  readonly quantity: QuantityTolerance;
  /** Per unit: invoice unit price vs PO unit price. */
  readonly unitPrice: UnitPriceTolerance;
  /** Invoice net total vs the invoiced quantities valued at PO prices. */
  readonly total: ToleranceLimit;
}

/** Tolerances resolved for one legal entity, with the levels that contributed (for audit). */
export interface ResolvedTolerances extends MatchTolerances {
  /** e.g. ['defaults', 'region EMEA', 'legal entity NL01']. */
  readonly appliedLevels: readonly string[];
}

export interface ToleranceOverrides {
  readonly quantity?: Partial<QuantityTolerance>;
  readonly unitPrice?: Partial<UnitPriceTolerance>;
  readonly total?: Partial<ToleranceLimit>;
}

export interface RegionRules {
  readonly countries: readonly string[];
  readonly overrides: ToleranceOverrides;
}

export interface MatchToleranceRules {
  readonly defaults: MatchTolerances;
  readonly regions: Readonly<Record<string, RegionRules>>;
  readonly legalEntities: Readonly<Record<string, ToleranceOverrides>>;
}

const percent = decimalSetting('0', '100');
const absolute = decimalSetting('0');
const combine = z.enum(['STRICTER', 'LOOSER'], {
  errorMap: () => ({ message: 'must be STRICTER or LOOSER' }),
});

const quantitySchema = z.object({ percent, acceptUnderDelivery: booleanSetting }).strict();
const unitPriceSchema = z
  .object({
    percent: percent.nullable(),
    absolute: absolute.nullable(),
    combine,
    acceptLowerPrice: booleanSetting,
  })
  .strict();
const totalSchema = z
  .object({ percent: percent.nullable(), absolute: absolute.nullable(), combine })
  .strict();

const overridesShape = {
  quantity: quantitySchema.partial().optional(),
  unitPrice: unitPriceSchema.partial().optional(),
  total: totalSchema.partial().optional(),
};

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as NL');

const fileSchema = z
  .object({
    defaults: z.object({ quantity: quantitySchema, unitPrice: unitPriceSchema, total: totalSchema }).strict(),
    regions: z
      .record(z.object({ countries: z.array(countryCode).min(1, 'must list at least one country'), ...overridesShape }).strict())
      .default({}),
    legalEntities: z.record(z.object(overridesShape).strict()).default({}),
  })
  .strict()
  .superRefine((file, ctx) => {
    // A country in two regions would make resolution depend on key order: refuse it.
    const regionOf = new Map<string, string>();
    for (const [region, rules] of Object.entries(file.regions)) {
      rules.countries.forEach((country, i) => {
        const earlier = regionOf.get(country);
        if (earlier !== undefined) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['regions', region, 'countries', i],
            message: `${country} is already in region ${earlier}`,
          });
        } else regionOf.set(country, region);
      });
    }
  });

/** Validates the YAML text of a tolerance rules file; throws RulesFileError listing every problem. */
export function parseMatchToleranceRules(yamlText: string, source = 'match-tolerances.yaml'): MatchToleranceRules {
  const file = validateRules(fileSchema, parseRulesYaml(yamlText, source), source);
  const regions: Record<string, RegionRules> = {};
  for (const [name, { countries, ...overrides }] of Object.entries(file.regions)) {
    regions[name] = { countries, overrides };
  }
  return { defaults: file.defaults, regions, legalEntities: file.legalEntities };
}

/** Default location of the rules file, next to the service's source tree. */
export const MATCH_TOLERANCES_FILE = resolve(__dirname, '../../config/match-tolerances.yaml');

/** Reads and validates the rules file (the only I/O here; call once at start-up). */
export function loadMatchToleranceRules(filePath: string = MATCH_TOLERANCES_FILE): MatchToleranceRules {
  return parseMatchToleranceRules(readFileSync(filePath, 'utf8'), filePath);
}

/** The region a country belongs to, or undefined when no region lists it. */
export function regionOfCountry(rules: MatchToleranceRules, country: string): string | undefined {
  const code = country.toUpperCase();
  return Object.entries(rules.regions).find(([, r]) => r.countries.includes(code))?.[0];
}

/**
 * Tolerances for a legal entity: defaults, then its country's region, then the entity's own
 * overrides, each setting taken from the most specific level that sets it. Legal entity codes are
 * exact (ERP company codes are case-sensitive identifiers).
 */
export function tolerancesFor(rules: MatchToleranceRules, legalEntityCode: string, country: string): ResolvedTolerances {
  const levels: Array<[string, ToleranceOverrides]> = [];
  const region = regionOfCountry(rules, country);
  if (region !== undefined) levels.push([`region ${region}`, rules.regions[region]?.overrides ?? {}]);
  const entity = rules.legalEntities[legalEntityCode];
  if (entity !== undefined) levels.push([`legal entity ${legalEntityCode}`, entity]);

  let quantity = rules.defaults.quantity;
  let unitPrice = rules.defaults.unitPrice;
  let total = rules.defaults.total;
  for (const [, o] of levels) {
    quantity = { ...quantity, ...definedOnly(o.quantity) };
    unitPrice = { ...unitPrice, ...definedOnly(o.unitPrice) };
    total = { ...total, ...definedOnly(o.total) };
  }
  return { quantity, unitPrice, total, appliedLevels: ['defaults', ...levels.map(([name]) => name)] };
}

/** Drops undefined keys so a spread never erases an inherited setting (null does: "no limit"). */
function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  if (o === undefined) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
