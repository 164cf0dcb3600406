import { bigintToTwosComplement } from '../codec/decimal';
import { fromUnscaled } from '../money/unscaled';
import type { BusinessRuleSet, FieldRule, RuleFormat } from '../business-rules/business-rule-set';
import { localSchemaSource } from '../provisioning/contracts';
import { parseAvroModel, type AvroType } from './avro-model';

/**
 * How sample values represent logical types:
 *  - 'raw': what avsc reads and writes without logical types (decimal -> Buffer of the unscaled
 *    two's-complement integer, date -> days since epoch, timestamp-millis -> epoch millis);
 *  - 'logical': the shapes of the generated TypeScript types and the codec's logical types
 *    (decimal -> canonical string, date -> 'YYYY-MM-DD', timestamp-millis -> Date).
 */
export type SampleMode = 'raw' | 'logical';

const SAMPLE_DATE = '2025-11-03';
const SAMPLE_DATE_DAYS = Date.UTC(2025, 10, 3) / 86_400_000;
const SAMPLE_TIMESTAMP = Date.UTC(2025, 10, 3, 9, 30, 0);

/** The sample decimal, 12.5, as an unscaled integer at `scale` (12 at scale 0: the sample is cut, not rounded). */
function sampleUnscaled(scale: number): bigint {
  return (125n * 10n ** BigInt(scale)) / 10n;
}

/** 12.5 at the given scale as an unscaled big-endian two's-complement integer. */
function decimalBytes(scale: number): Buffer {
  return bigintToTwosComplement(sampleUnscaled(scale));
}

function decimalString(scale: number): string {
  return fromUnscaled(sampleUnscaled(scale), scale);
}

/** A valid value of each string format the business rules know. */
const FORMAT_SAMPLES: Readonly<Record<RuleFormat, string>> = {
  iso4217: 'EUR',
  'iso3166-alpha2': 'DE',
  iban: 'DE89370400440532013000',
  bic: 'DEUTDEFF',
};

function sampleString(path: string, rule: FieldRule | undefined): string {
  if (rule?.format) return FORMAT_SAMPLES[rule.format];
  const text = `sample ${path}`;
  return rule?.maxLength !== undefined && text.length > rule.maxLength ? text.slice(text.length - rule.maxLength) : text;
}

function build(type: AvroType, mode: SampleMode, path: string, rules: BusinessRuleSet, rule?: FieldRule): unknown {
  switch (type.kind) {
    case 'primitive': {
      const logical = type.logicalType;
      if (logical?.name === 'decimal') return mode === 'raw' ? decimalBytes(logical.scale ?? 0) : decimalString(logical.scale ?? 0);
      if (logical?.name === 'date') return mode === 'raw' ? SAMPLE_DATE_DAYS : SAMPLE_DATE;
      if (logical?.name === 'timestamp-millis') return mode === 'raw' ? SAMPLE_TIMESTAMP : new Date(SAMPLE_TIMESTAMP);
      if (logical?.name === 'uuid') return '0b7f3c1e-6a7d-4f0e-9d55-2f1c8e9a4b21';
      switch (type.name) {
        case 'null':
          return null;
        case 'boolean':
          return true;
        case 'int':
        case 'long':
          return 3;
        case 'float':
        case 'double':
          return 0.5;
        case 'bytes':
          return Buffer.from([1, 2, 3]);
        case 'string':
          return sampleString(path, rule);
      }
      return undefined;
    }
    case 'record':
      return Object.fromEntries(type.fields.map((f) => [f.name, build(f.type, mode, `${path}.${f.name}`, rules, rules.ruleOf(type.fullName, f.name))]));
    case 'enum':
      return type.symbols[0];
    case 'fixed':
      return Buffer.alloc(type.size, 1);
    case 'array':
      return [build(type.items, mode, `${path}[]`, rules)];
    case 'map':
      return { key: build(type.values, mode, `${path}{}`, rules) };
    case 'union': {
      // The first non-null branch, so that optional structures are exercised, not skipped.
      const branch = type.branches.find((b) => !(b.kind === 'primitive' && b.name === 'null')) ?? type.branches[0];
      return branch ? build(branch, mode, path, rules, rule) : null;
    }
  }
}

/**
 * A complete, valid sample value for a schema: every field set, every optional branch filled,
 * one element per array, strings that keep the business rules (a currency is 'EUR', an id fits
 * its length). For round-trip tests and fixtures; not meaningful business data.
 * Does not support recursive schemas (the contracts have none).
 */
export function sampleValue(schema: unknown, mode: SampleMode = 'raw', rules: BusinessRuleSet = localSchemaSource().businessRules): unknown {
  const model = parseAvroModel(schema, 'sample');
  return build(model, mode, model.kind === 'record' ? model.name : '(root)', rules);
}
