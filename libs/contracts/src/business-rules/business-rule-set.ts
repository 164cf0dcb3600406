/**
 * The events' business rules: what an Avro schema cannot say about a value (a currency is an ISO
 * 4217 code, an ordered quantity is not negative, a payment settles at least one invoice, an id is
 * not empty and has a bounded length). They are declared once, in `schemas/business-rules.json`
 * next to the contracts, by record and field path, in JSON Schema's own keywords so that the
 * OpenAPI and AsyncAPI documents can carry them as they are:
 *
 *   "finmesh.common.PurchaseOrderLine": { "quantity": { "minimum": "0" } }
 *
 * A rule of a shared record applies wherever the record is used. Paths go through records
 * (`unitPrice.amount`) and into the elements of arrays and the values of maps (`lines.quantity`);
 * a null optional value satisfies every rule but none of its own.
 *
 * Who enforces them: the codec, before it encodes (nothing that breaks a rule is produced), and
 * every consumer after it decodes (the consumer runtime dead-letters a breach as
 * BUSINESS_RULE_VIOLATION naming the rule; a rebuild skips it likewise), so no read model holds
 * data the contract forbids. `schemas:check` validates the rules themselves: every record and
 * path exists, every keyword suits its field's type, every value is well-formed.
 *
 * Messages never echo a string value (it may be a bank account): they name the path, the rule and
 * what is wrong with it; numbers are shown.
 */
import { decimal, type Decimal } from '../money/decimal';
import { isDecimalText } from '../money/decimal-text';
import { isJsonObject, type JsonValue } from '../schema/avro-json';
import { parseAvroModel, type AvroRecordType, type AvroType } from '../schema/avro-model';
import type { SchemaProblem } from '../schema/schema-errors';
import type { EventName } from '../topics/topic-catalog';
import { ibanProblem, isBic, isIso3166Alpha2, isIso4217 } from './financial-formats';

/** The `format` values a rule may require of a string (names as in OpenAPI's format registry where one exists). */
export const RULE_FORMATS = ['iso4217', 'iso3166-alpha2', 'iban', 'bic'] as const;
export type RuleFormat = (typeof RULE_FORMATS)[number];

/** One field's rule, in JSON Schema keywords. Decimal bounds are decimal strings ("0", "100"). */
export interface FieldRule {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: RuleFormat;
  readonly minimum?: string;
  readonly maximum?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Why the rule exists, for people reading the contract. */
  readonly doc?: string;
}

/** One rule as declared: the record, the field path inside it, the keywords. */
export interface DeclaredBusinessRule {
  /** Record full name, e.g. 'finmesh.common.PurchaseOrderLine'. */
  readonly record: string;
  /** Field path inside the record, e.g. 'unitPrice.amount'. */
  readonly field: string;
  readonly rule: FieldRule;
}

/** A value that breaks a rule. */
export interface BusinessRuleBreach {
  /** Dotted path inside the event, as the codec's schema problems spell it: 'lines.0.quantity'. */
  readonly path: string;
  /** The rule's name: '<record>.<field> <keyword>', e.g. 'finmesh.common.PurchaseOrderLine.quantity minimum'. */
  readonly rule: string;
  readonly message: string;
}

export interface BusinessRuleSet {
  readonly declared: readonly DeclaredBusinessRule[];
  /** The declared rules that apply to `event`: those of every record its newest schema uses. */
  declaredFor(event: EventName): readonly DeclaredBusinessRule[];
  /** Every breach of the rules in a value of `event` (in the newest local schema's shape; absent fields are skipped). */
  breaches(event: EventName, value: unknown): readonly BusinessRuleBreach[];
  /**
   * The field paths the rules of `event` read, in the narrowed-schema form ('lines.quantity'): a
   * narrowed decode keeps them, so that it finds exactly the breaches a full decode finds.
   */
  fieldPaths(event: EventName): readonly string[];
  /** The rule declared for a record's direct field, for generating values that keep it (sample values). */
  ruleOf(record: string, field: string): FieldRule | undefined;
}

/** File of the rules inside `schemas/`. */
export const BUSINESS_RULES_FILE = 'business-rules.json';

const LENGTH_KEYWORDS = ['minLength', 'maxLength', 'minItems', 'maxItems'] as const;
const BOUND_KEYWORDS = ['minimum', 'maximum'] as const;
const KEYWORDS_BY_KIND = {
  string: ['minLength', 'maxLength', 'format'],
  number: ['minimum', 'maximum'],
  collection: ['minItems', 'maxItems'],
} as const;
type ValueKind = keyof typeof KEYWORDS_BY_KIND;

type Segment = string; // a field name, '[]' (every array element) or '{}' (every map value)

/** A declared rule, resolved in its record: where it leads and what it checks. */
interface ResolvedRule {
  readonly field: string;
  readonly rule: FieldRule;
  readonly segments: Segment[];
  readonly kind: ValueKind;
  /**
   * For a count of records (an array of lines), one field of the element: a narrowed schema that
   * kept the path of the array itself would keep every field of every element.
   */
  readonly elementField?: string;
}

/** The first field of the records a collection holds, if it holds records. */
function elementFieldOf(type: AvroType): string | undefined {
  for (const branch of withoutNull(type)) {
    const inner = branch.kind === 'array' ? branch.items : branch.kind === 'map' ? branch.values : undefined;
    const record = inner && withoutNull(inner).find((t): t is AvroRecordType => t.kind === 'record');
    if (record?.fields[0]) return record.fields[0].name;
  }
  return undefined;
}

interface CompiledCheck {
  readonly segments: readonly Segment[];
  /** The narrowed-schema path that keeps what the check reads (see fieldPaths). */
  readonly keep: string;
  readonly name: string;
  readonly test: (value: unknown) => { keyword: string; message: string } | undefined;
}

/** The type without its null branch: optional fields are checked when set. */
function withoutNull(type: AvroType): AvroType[] {
  if (type.kind !== 'union') return [type];
  return type.branches.filter((b) => !(b.kind === 'primitive' && b.name === 'null'));
}

function kindOf(type: AvroType): ValueKind | undefined {
  if (type.kind === 'array' || type.kind === 'map') return 'collection';
  if (type.kind !== 'primitive') return undefined;
  if (type.name === 'string') return 'string';
  if (type.name === 'int' || type.name === 'long') return 'number';
  if (type.name === 'bytes' && type.logicalType?.name === 'decimal') return 'number';
  return undefined;
}

/** Where a rule's path leads from its record: the value segments and the field's type. */
function resolvePath(record: AvroRecordType, field: string): { segments: Segment[]; type: AvroType } | string {
  const segments: Segment[] = [];
  let current: AvroType = record;
  const names = field.split('.');
  for (const [i, name] of names.entries()) {
    // Step into records; an array or map on the way is entered element-wise.
    let candidates = withoutNull(current);
    for (;;) {
      const collection = candidates.find((c) => c.kind === 'array' || c.kind === 'map');
      if (!collection || candidates.some((c) => c.kind === 'record')) break;
      segments.push(collection.kind === 'array' ? '[]' : '{}');
      candidates = withoutNull(collection.kind === 'array' ? collection.items : (collection as { values: AvroType }).values);
    }
    const owner = candidates.find((c): c is AvroRecordType => c.kind === 'record');
    const found = owner?.fields.find((f) => f.name === name);
    if (!owner || !found) return `'${names.slice(0, i + 1).join('.')}' is not a field of ${record.fullName}`;
    segments.push(name);
    current = found.type;
  }
  return { segments, type: current };
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function formatProblem(format: RuleFormat, text: string): string | undefined {
  switch (format) {
    case 'iso4217':
      return isIso4217(text) ? undefined : 'is not an active ISO 4217 currency code';
    case 'iso3166-alpha2':
      return isIso3166Alpha2(text) ? undefined : 'is not an ISO 3166-1 alpha-2 country code';
    case 'iban':
      return ibanProblem(text);
    case 'bic':
      return isBic(text) ? undefined : 'is not a BIC (ISO 9362)';
  }
}

function numericText(value: unknown): string | undefined {
  if (typeof value === 'string' && isDecimalText(value)) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

/** The one test of a rule's keywords on a value of its kind; the first keyword broken is reported. */
function testOf(rule: FieldRule, kind: ValueKind): CompiledCheck['test'] {
  const minimum = rule.minimum === undefined ? undefined : decimal(rule.minimum);
  const maximum = rule.maximum === undefined ? undefined : decimal(rule.maximum);
  // Most bounds are "not negative": the sign of canonical decimal text says it without parsing.
  const nonNegativeOnly = minimum !== undefined && minimum.isZero() && maximum === undefined;
  switch (kind) {
    case 'string':
      return (value) => {
        if (typeof value !== 'string') return undefined;
        // UTF-16 length bounds the code point count from above, so the count is rarely needed.
        if (rule.maxLength !== undefined && value.length > rule.maxLength && codePoints(value) > rule.maxLength) {
          return { keyword: 'maxLength', message: `is ${codePoints(value)} characters long, more than the ${rule.maxLength} allowed` };
        }
        // A string has at least half as many code points as UTF-16 units: count only below twice the bound.
        if (rule.minLength !== undefined && (value.length < rule.minLength || (value.length < 2 * rule.minLength && codePoints(value) < rule.minLength))) {
          return { keyword: 'minLength', message: rule.minLength === 1 ? 'is empty' : `is shorter than ${rule.minLength} characters` };
        }
        const problem = rule.format === undefined ? undefined : formatProblem(rule.format, value);
        return problem === undefined ? undefined : { keyword: 'format', message: problem };
      };
    case 'number': {
      // Integers (int, long) compare as numbers when the bounds are exact integers too.
      const minInt = rule.minimum !== undefined && Number.isSafeInteger(Number(rule.minimum)) ? Number(rule.minimum) : undefined;
      const maxInt = rule.maximum !== undefined && Number.isSafeInteger(Number(rule.maximum)) ? Number(rule.maximum) : undefined;
      const integerBounds = (rule.minimum === undefined || minInt !== undefined) && (rule.maximum === undefined || maxInt !== undefined);
      return (value) => {
        if (typeof value === 'number' && Number.isSafeInteger(value) && integerBounds) {
          if (minInt !== undefined && value < minInt) return { keyword: 'minimum', message: `is ${value}, below the minimum ${rule.minimum}` };
          if (maxInt !== undefined && value > maxInt) return { keyword: 'maximum', message: `is ${value}, above the maximum ${rule.maximum}` };
          return undefined;
        }
        const text = numericText(value);
        if (text === undefined) return undefined;
        if (nonNegativeOnly) return text.startsWith('-') && !/^-0*(\.0*)?$/.test(text) ? { keyword: 'minimum', message: `is ${text}, below the minimum ${rule.minimum}` } : undefined;
        const n: Decimal = decimal(text);
        if (minimum && n.compareTo(minimum) < 0) return { keyword: 'minimum', message: `is ${text}, below the minimum ${rule.minimum}` };
        if (maximum && n.compareTo(maximum) > 0) return { keyword: 'maximum', message: `is ${text}, above the maximum ${rule.maximum}` };
        return undefined;
      };
    }
    case 'collection':
      return (value) => {
        const size = Array.isArray(value) ? value.length : isJsonObject(value as JsonValue) ? Object.keys(value as object).length : undefined;
        if (size === undefined) return undefined;
        if (rule.minItems !== undefined && size < rule.minItems) return { keyword: 'minItems', message: `has ${size} item(s), fewer than the ${rule.minItems} required` };
        if (rule.maxItems !== undefined && size > rule.maxItems) return { keyword: 'maxItems', message: `has ${size} items, more than the ${rule.maxItems} allowed` };
        return undefined;
      };
  }
}

/** Checks one declared rule's keywords and values; returns the problems (empty when fine). */
function ruleProblems(rule: JsonValue, kind: ValueKind | undefined, where: string): string[] {
  if (!isJsonObject(rule)) return [`${where}: a rule is an object of JSON Schema keywords`];
  const problems: string[] = [];
  const keywords = Object.keys(rule).filter((k) => k !== 'doc');
  if (keywords.length === 0) problems.push(`${where}: declares no keyword`);
  if (kind === undefined) return [...problems, `${where}: rules apply to strings, numbers (int, long, decimal), arrays and maps only`];
  const allowed: readonly string[] = KEYWORDS_BY_KIND[kind];
  for (const keyword of keywords) {
    if (!allowed.includes(keyword)) problems.push(`${where}: '${keyword}' does not apply to a ${kind} field (allowed: ${allowed.join(', ')})`);
  }
  for (const keyword of LENGTH_KEYWORDS) {
    const v = rule[keyword];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) problems.push(`${where}: '${keyword}' must be a non-negative integer`);
  }
  for (const keyword of BOUND_KEYWORDS) {
    const v = rule[keyword];
    if (v !== undefined && !(typeof v === 'string' && isDecimalText(v))) problems.push(`${where}: '${keyword}' must be a decimal string such as "0"`);
  }
  const format = rule['format'];
  if (format !== undefined && !(RULE_FORMATS as readonly JsonValue[]).includes(format)) problems.push(`${where}: format ${JSON.stringify(format)} is not one of ${RULE_FORMATS.join(', ')}`);
  const pairs = [['minLength', 'maxLength'], ['minItems', 'maxItems']] as const;
  for (const [lo, hi] of pairs) {
    const a = rule[lo];
    const b = rule[hi];
    if (typeof a === 'number' && typeof b === 'number' && a > b) problems.push(`${where}: '${lo}' ${a} is above '${hi}' ${b}`);
  }
  const min = rule['minimum'];
  const max = rule['maximum'];
  if (typeof min === 'string' && typeof max === 'string' && isDecimalText(min) && isDecimalText(max) && decimal(min).compareTo(decimal(max)) > 0) {
    problems.push(`${where}: 'minimum' ${min} is above 'maximum' ${max}`);
  }
  if (rule['doc'] !== undefined && typeof rule['doc'] !== 'string') problems.push(`${where}: 'doc' must be a string`);
  return problems;
}

/** Every record type reachable in a schema, by full name. */
function recordsOf(type: AvroType, into: Map<string, AvroRecordType>): void {
  switch (type.kind) {
    case 'record':
      if (into.has(type.fullName)) return;
      into.set(type.fullName, type);
      for (const f of type.fields) recordsOf(f.type, into);
      return;
    case 'array':
      return recordsOf(type.items, into);
    case 'map':
      return recordsOf(type.values, into);
    case 'union':
      for (const b of type.branches) recordsOf(b, into);
      return;
    default:
      return;
  }
}

/**
 * Walks `value` along a check's segments and tests what it finds. The path of the value is kept
 * as a stack and joined only for a breach: this runs for every record every consumer reads.
 */
function visit(value: unknown, segments: readonly Segment[], i: number, path: Array<string | number>, check: CompiledCheck, out: BusinessRuleBreach[]): void {
  if (value === null || value === undefined) return;
  if (i === segments.length) {
    const broken = check.test(value);
    if (broken) out.push({ path: path.join('.'), rule: `${check.name} ${broken.keyword}`, message: broken.message });
    return;
  }
  const segment = segments[i]!;
  if (segment === '[]') {
    if (!Array.isArray(value)) return;
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      visit(value[index], segments, i + 1, path, check, out);
      path.pop();
    }
  } else if (segment === '{}') {
    if (typeof value !== 'object') return;
    for (const key of Object.keys(value as object)) {
      path.push(key);
      visit((value as Record<string, unknown>)[key], segments, i + 1, path, check, out);
      path.pop();
    }
  } else if (typeof value === 'object') {
    path.push(segment);
    visit((value as Record<string, unknown>)[segment], segments, i + 1, path, check, out);
    path.pop();
  }
}

/** The checks of one event: every rule of every record the schema reaches, at every place it is used. */
function compileEvent(schema: AvroType, rules: ReadonlyMap<string, readonly ResolvedRule[]>): CompiledCheck[] {
  const checks: CompiledCheck[] = [];
  const walk = (type: AvroType, prefix: Segment[], inProgress: Set<string>): void => {
    switch (type.kind) {
      case 'record': {
        if (inProgress.has(type.fullName)) return; // recursive types: each level once is enough
        const nested = new Set(inProgress).add(type.fullName);
        for (const r of rules.get(type.fullName) ?? []) {
          const segments = [...prefix, ...r.segments];
          const keep = [...segments, ...(r.elementField ? [r.elementField] : [])].filter((x) => x !== '[]' && x !== '{}').join('.');
          checks.push({ segments, keep, name: `${type.fullName}.${r.field}`, test: testOf(r.rule, r.kind) });
        }
        for (const f of type.fields) walk(f.type, [...prefix, f.name], nested);
        return;
      }
      case 'array':
        return walk(type.items, [...prefix, '[]'], inProgress);
      case 'map':
        return walk(type.values, [...prefix, '{}'], inProgress);
      case 'union':
        for (const b of type.branches) walk(b, prefix, inProgress);
        return;
      default:
        return;
    }
  };
  walk(schema, [], new Set());
  return checks;
}

/**
 * Builds the rule set from the declarations (the parsed `business-rules.json`) against the newest
 * schema of every event. Problems with the rules themselves are appended to `problems`.
 */
export function buildBusinessRuleSet(
  declarations: JsonValue,
  latestSchemas: ReadonlyMap<EventName, unknown>,
  file: string,
  problems: SchemaProblem[],
): BusinessRuleSet {
  const models = new Map<EventName, AvroType>();
  const records = new Map<string, AvroRecordType>();
  const recordsByEvent = new Map<EventName, ReadonlySet<string>>();
  for (const [event, schema] of latestSchemas) {
    const model = parseAvroModel(schema, event);
    models.set(event, model);
    const own = new Map<string, AvroRecordType>();
    recordsOf(model, own);
    recordsByEvent.set(event, new Set(own.keys()));
    for (const [name, record] of own) records.set(name, record);
  }
  const declared: DeclaredBusinessRule[] = [];
  const compiled = new Map<string, ResolvedRule[]>();
  const top = isJsonObject(declarations) ? declarations : {};
  for (const key of Object.keys(top)) if (!['doc', 'records', '$comment'].includes(key)) problems.push({ file, message: `unknown top-level key '${key}' (expected doc, records)` });
  const byRecord = top['records'] ?? null;
  if (!isJsonObject(byRecord)) problems.push({ file, message: '"records" must map record full names to their field rules' });
  for (const [recordName, fields] of Object.entries(isJsonObject(byRecord) ? byRecord : {})) {
    const record = records.get(recordName);
    if (!record) {
      problems.push({ file, message: `${recordName}: no event's newest schema uses a record of that name` });
      continue;
    }
    if (!isJsonObject(fields)) {
      problems.push({ file, message: `${recordName}: maps field paths to rules` });
      continue;
    }
    for (const [field, rule] of Object.entries(fields)) {
      const where = `${recordName}.${field}`;
      const resolved = resolvePath(record, field);
      if (typeof resolved === 'string') {
        problems.push({ file, message: `${where}: ${resolved}` });
        continue;
      }
      const kinds = [...new Set(withoutNull(resolved.type).map(kindOf))];
      const kind = kinds.length === 1 ? kinds[0] : undefined;
      const found = ruleProblems(rule, kind, where);
      if (found.length > 0) {
        for (const message of found) problems.push({ file, message });
        continue;
      }
      const typed = rule as FieldRule;
      declared.push({ record: recordName, field, rule: typed });
      const list = compiled.get(recordName) ?? [];
      const elementField = kind === 'collection' ? elementFieldOf(resolved.type) : undefined;
      list.push({ field, rule: typed, segments: resolved.segments, kind: kind!, ...(elementField ? { elementField } : {}) });
      compiled.set(recordName, list);
    }
  }
  const checksByEvent = new Map<EventName, CompiledCheck[]>();
  for (const [event, model] of models) checksByEvent.set(event, compileEvent(model, compiled));
  const pathsByEvent = new Map(
    [...checksByEvent].map(([event, checks]) => [event, [...new Set(checks.map((c) => c.keep))]]),
  );
  const direct = new Map(declared.filter((d) => !d.field.includes('.')).map((d) => [`${d.record}.${d.field}`, d.rule]));
  return {
    declared,
    declaredFor: (event) => declared.filter((d) => recordsByEvent.get(event)?.has(d.record)),
    breaches(event, value) {
      const out: BusinessRuleBreach[] = [];
      const path: Array<string | number> = [];
      for (const check of checksByEvent.get(event) ?? []) visit(value, check.segments, 0, path, check, out);
      return out;
    },
    fieldPaths: (event) => pathsByEvent.get(event) ?? [],
    ruleOf: (record, field) => direct.get(`${record}.${field}`),
  };
}

/** A rule set without rules (a schemas directory that declares none). */
export const NO_BUSINESS_RULES: BusinessRuleSet = { declared: [], declaredFor: () => [], breaches: () => [], fieldPaths: () => [], ruleOf: () => undefined };
