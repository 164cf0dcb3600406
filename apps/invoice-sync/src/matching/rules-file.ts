import { isScalar, parseDocument, visit } from 'yaml';
import { z, type ZodIssue } from 'zod';
import { Decimal } from '@finmesh/contracts';

/**
 * Shared reading of the YAML rules files in apps/invoice-sync/config (tolerances, tax codes).
 * Business rules live in files so finance can change a tolerance without a release; the price of
 * that is that a typo must be caught at start-up with a message an AP lead can act on, so every bad
 * setting is reported at once as `path.to.setting: what is wrong`.
 */
export class RulesFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid rules file ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RulesFileError';
  }
}

/**
 * Parses YAML keeping every number as the exact text it was written with ("2.5", not the float
 * 2.5): tolerances and tax rates are decimals and must not pass through binary floating point.
 */
export function parseRulesYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RulesFileError(
      source,
      doc.errors.map((e) => `YAML syntax: ${e.message.split('\n')[0] ?? e.message}`),
    );
  }
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'number' && typeof node.source === 'string') {
        node.value = node.source;
      }
    },
  });
  return doc.toJS() as unknown;
}

/** Validates `raw` against `schema`, or throws one RulesFileError listing every problem. */
export function validateRules<S extends z.ZodTypeAny>(schema: S, raw: unknown, source: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data as z.output<S>;
  throw new RulesFileError(source, result.error.issues.flatMap(describeIssue));
}

function describeIssue(issue: ZodIssue): string[] {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    // One line per unknown key, at the key's own path: "regions.EMEA.unitPrice.percnt".
    return issue.keys.map((k) => `${path ? `${path}.` : ''}${k}: unknown setting`);
  }
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    return [`${path}: is required`];
  }
  return [`${path || '(file)'}: ${issue.message}`];
}

/**
 * A non-negative decimal setting between `min` and `max`. YAML numbers arrive as their source text
 * (see parseRulesYaml); quoted strings are accepted too.
 */
export function decimalSetting(min: string, max?: string) {
  const range = max === undefined ? `must be at least ${min}` : `must be between ${min} and ${max}`;
  return z
    .string({ invalid_type_error: 'must be a decimal number such as 2.5' })
    .refine((s) => Decimal.isDecimal(s), 'must be a decimal number such as 2.5')
    .refine((s) => {
      if (!Decimal.isDecimal(s)) return true; // reported by the refinement above
      const v = Decimal.parse(s);
      return v.compareTo(Decimal.parse(min)) >= 0 && (max === undefined || v.compareTo(Decimal.parse(max)) <= 0);
    }, range);
}

export const booleanSetting = z.boolean({ invalid_type_error: 'must be true or false' });
