import { AGGREGATE_NAMESPACE, EVENT_NAMES } from '../topics/topic-catalog';
import { parseAvroModel, isNamedType, type AvroField, type AvroNamedType, type AvroType } from './avro-model';
import type { SchemaCatalog } from './schema-catalog';

export const GENERATED_HEADER = '// GENERATED from schemas/ by `npm run schemas:types` — do not edit.';

interface Collected {
  readonly type: AvroNamedType;
  /** Structural signature, to detect one full name with two different definitions. */
  readonly signature: string;
  readonly source: string;
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}

/** Prefix for a colliding name: the aggregate for event namespaces ('PurchaseOrder'), else the namespace. */
function namespacePrefix(namespace: string | undefined): string {
  const aggregate = Object.entries(AGGREGATE_NAMESPACE).find(([, ns]) => ns === namespace)?.[0];
  if (aggregate) return pascal(aggregate);
  return pascal((namespace ?? '').replace(/^finmesh\./, ''));
}

function signature(type: AvroType): string {
  switch (type.kind) {
    case 'primitive':
      return type.logicalType ? `${type.name}:${JSON.stringify(type.logicalType)}` : type.name;
    case 'record':
      return `record ${type.fullName}{${type.fields.map((f) => `${f.name}:${shallow(f.type)}`).join(',')}}`;
    case 'enum':
      return `enum ${type.fullName}{${type.symbols.join(',')}}`;
    case 'fixed':
      return `fixed ${type.fullName}(${type.size})`;
    default:
      return shallow(type);
  }
}

/** Like signature, but named types by name only (their bodies are compared where they are collected). */
function shallow(type: AvroType): string {
  if (isNamedType(type)) return type.fullName;
  if (type.kind === 'array') return `array<${shallow(type.items)}>`;
  if (type.kind === 'map') return `map<${shallow(type.values)}>`;
  if (type.kind === 'union') return `[${type.branches.map(shallow).join(',')}]`;
  return signature(type);
}

function collectNamed(type: AvroType, source: string, into: Map<string, Collected>): void {
  if (isNamedType(type)) {
    const existing = into.get(type.fullName);
    const sig = signature(type);
    if (existing) {
      if (existing.signature !== sig) {
        throw new Error(`named type ${type.fullName} is defined differently in ${existing.source} and ${source}; one name, one shape`);
      }
      return;
    }
    into.set(type.fullName, { type, signature: sig, source });
    if (type.kind === 'record') type.fields.forEach((f) => collectNamed(f.type, source, into));
    return;
  }
  if (type.kind === 'array') collectNamed(type.items, source, into);
  else if (type.kind === 'map') collectNamed(type.values, source, into);
  else if (type.kind === 'union') type.branches.forEach((b) => collectNamed(b, source, into));
}

function assignTsNames(fullNames: readonly string[], types: ReadonlyMap<string, Collected>): Map<string, string> {
  const bySimple = new Map<string, string[]>();
  for (const fullName of fullNames) {
    const simple = types.get(fullName)?.type.name ?? fullName;
    bySimple.set(simple, [...(bySimple.get(simple) ?? []), fullName]);
  }
  const names = new Map<string, string>();
  for (const [simple, owners] of bySimple) {
    for (const fullName of owners) {
      const type = types.get(fullName)?.type;
      names.set(fullName, owners.length === 1 ? simple : `${namespacePrefix(type?.namespace)}${simple}`);
    }
  }
  return names;
}

/** Locale-independent ordering, so the output does not depend on the machine generating it. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function docComment(lines: readonly string[], indent: string): string[] {
  const text = lines.filter((l) => l.trim() !== '').map((l) => l.replace(/\*\//g, '*\\/'));
  if (text.length === 0) return [];
  if (text.length === 1) return [`${indent}/** ${text[0]} */`];
  return [`${indent}/**`, ...text.map((l) => `${indent} * ${l}`), `${indent} */`];
}

/** What the codec's logical types turn a value into, noted next to the TS type. */
function logicalNote(type: AvroType): string | undefined {
  if (type.kind === 'union') return type.branches.map(logicalNote).find((n) => n !== undefined);
  if (type.kind === 'array') return logicalNote(type.items);
  if (type.kind !== 'primitive' && type.kind !== 'fixed') return undefined;
  const logical = type.logicalType;
  switch (logical?.name) {
    case 'decimal':
      return `Decimal(${logical.precision},${logical.scale}) as a canonical decimal string with ${logical.scale} fraction digits.`;
    case 'timestamp-millis':
      return 'Timestamp (millisecond precision, UTC).';
    case 'date':
      return "Calendar date 'YYYY-MM-DD'.";
    case 'uuid':
      return 'UUID string.';
    default:
      return undefined;
  }
}

/** The decimal logical type of a field's type (also inside a nullable union or an array), if any. */
function decimalOf(type: AvroType): { readonly precision: number; readonly scale: number } | undefined {
  if (type.kind === 'union') return type.branches.map(decimalOf).find((d) => d !== undefined);
  if (type.kind === 'array') return decimalOf(type.items);
  if (type.kind !== 'primitive' && type.kind !== 'fixed') return undefined;
  const logical = type.logicalType;
  if (logical?.name !== 'decimal' || logical.precision === undefined) return undefined;
  return { precision: logical.precision, scale: logical.scale ?? 0 };
}

/**
 * `DECIMAL_FIELDS`: precision and scale of every decimal field, keyed `TsType.field`, so code that
 * needs a contract scale (the money module's MONEY_SCALE, UNIT_PRICE_SCALE, ...) reads it from the
 * contract instead of re-typing the number.
 */
function decimalFieldTable(types: readonly AvroNamedType[], tsNames: ReadonlyMap<string, string>): string[] {
  const rows = types.flatMap((type) => {
    if (type.kind !== 'record') return [];
    const name = tsNames.get(type.fullName) ?? type.name;
    return type.fields.flatMap((f) => {
      const spec = decimalOf(f.type);
      return spec ? [`  '${name}.${f.name}': { precision: ${spec.precision}, scale: ${spec.scale} },`] : [];
    });
  });
  return [
    '/** Precision and scale of every decimal field of the contracts, by `Type.field` (the money module reads its scales here). */',
    'export const DECIMAL_FIELDS = {',
    ...rows,
    '} as const;',
  ];
}

class Renderer {
  constructor(private readonly tsNames: ReadonlyMap<string, string>) {}

  tsType(type: AvroType): string {
    switch (type.kind) {
      case 'primitive':
        return this.primitive(type.name, type.logicalType?.name);
      case 'record':
      case 'enum':
        return this.tsNames.get(type.fullName) ?? type.name;
      case 'fixed':
        return type.logicalType?.name === 'decimal' ? 'string' : 'Buffer';
      case 'array': {
        const item = this.tsType(type.items);
        return /^[A-Za-z0-9_]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
      }
      case 'map':
        return `Record<string, ${this.tsType(type.values)}>`;
      case 'union': {
        // ["null", X] -> X | null: the non-null branches first reads naturally.
        const nonNull = type.branches.filter((b) => !(b.kind === 'primitive' && b.name === 'null')).map((b) => this.tsType(b));
        const hasNull = nonNull.length < type.branches.length;
        return [...nonNull, ...(hasNull ? ['null'] : [])].join(' | ');
      }
    }
  }

  private primitive(name: string, logical: string | undefined): string {
    if (logical === 'decimal' || logical === 'date' || logical === 'uuid') return 'string';
    if (logical === 'timestamp-millis') return 'Date';
    switch (name) {
      case 'null':
        return 'null';
      case 'boolean':
        return 'boolean';
      case 'int':
      case 'long':
      case 'float':
      case 'double':
        return 'number';
      case 'bytes':
        return 'Buffer';
      default:
        return 'string';
    }
  }

  field(field: AvroField): string[] {
    const lines = docComment([field.doc ?? '', logicalNote(field.type) ?? ''], '  ');
    return [...lines, `  ${field.name}: ${this.tsType(field.type)};`];
  }

  named(type: AvroNamedType, extraDoc: readonly string[] = []): string[] {
    const name = this.tsNames.get(type.fullName) ?? type.name;
    const doc = docComment([type.doc ?? '', ...extraDoc, `Avro: ${type.fullName}`], '');
    if (type.kind === 'enum') return [...doc, `export type ${name} = ${type.symbols.map((s) => `'${s}'`).join(' | ')};`];
    if (type.kind === 'fixed') return [...doc, `export type ${name} = ${type.logicalType?.name === 'decimal' ? 'string' : 'Buffer'};`];
    return [...doc, `export interface ${name} {`, ...type.fields.flatMap((f) => this.field(f)), '}'];
  }
}

/**
 * TypeScript declarations for the newest version of every event in the catalog. Deterministic:
 * shared and nested types sorted by TS name, events in EVENT_NAMES order, so regenerating
 * unchanged schemas yields byte-identical output.
 */
export function generateTypeScript(catalog: SchemaCatalog): string {
  const collected = new Map<string, Collected>();
  const events = EVENT_NAMES.map((name) => {
    const latest = catalog.latest(name);
    const model = parseAvroModel(latest.schema, latest.label);
    if (model.kind !== 'record') throw new Error(`${latest.label}: an event schema must be a record`);
    collectNamed(model, latest.displayFile, collected);
    return { name, latest, model };
  });
  const eventFullNames = new Set(events.map((e) => e.model.fullName));
  const tsNames = assignTsNames([...collected.keys()], collected);
  const render = new Renderer(tsNames);

  const supporting = [...collected.values()]
    .filter((c) => !eventFullNames.has(c.type.fullName))
    .sort((a, b) => byCodePoint(tsNames.get(a.type.fullName) ?? '', tsNames.get(b.type.fullName) ?? ''));

  const out: string[] = [
    GENERATED_HEADER,
    '// Types of the newest version of each event contract; the codec\'s logical types produce these',
    '// shapes (decimal -> string, timestamp-millis -> Date, date -> \'YYYY-MM-DD\').',
    '',
    '// ---- Shared and nested types ----',
  ];
  for (const c of supporting) out.push('', ...render.named(c.type));
  out.push('', '// ---- Event payloads ----');
  for (const e of events) {
    const meta = `Contract: ${e.latest.displayFile} (v${e.latest.version}, ${e.latest.compatibility}).`;
    out.push('', ...render.named(e.model, [meta]));
  }
  out.push('', '/** Event name -> payload type of its newest contract version. */', 'export interface FinmeshEventMap {');
  for (const e of events) out.push(`  ${e.name}: ${tsNames.get(e.model.fullName) ?? e.name};`);
  out.push('}', '', '/** Any finmesh event payload. */', 'export type FinmeshEvent = FinmeshEventMap[keyof FinmeshEventMap];', '');
  out.push('/** Newest contract version per event: the `eventVersion` producers put in the envelope. */');
  out.push('export const LATEST_EVENT_VERSIONS: Readonly<Record<keyof FinmeshEventMap, number>> = {');
  for (const e of events) out.push(`  ${e.name}: ${e.latest.version},`);
  out.push('};', '');
  out.push(...decimalFieldTable([...supporting.map((c) => c.type), ...events.map((e) => e.model)], tsNames), '');
  return out.join('\n');
}
