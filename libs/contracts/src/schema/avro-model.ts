import { isJsonObject, isPrimitiveName, qualifyName, namespaceOf, simpleNameOf, type AvroPrimitive, type JsonValue } from './avro-json';

/**
 * A parsed, name-resolved Avro schema: the form the compatibility checker and the TypeScript
 * generator walk. Named types are shared objects, so a recursive schema is a cyclic graph;
 * walkers guard with "seen" sets.
 */
export type AvroType = AvroPrimitiveType | AvroRecordType | AvroEnumType | AvroFixedType | AvroArrayType | AvroMapType | AvroUnionType;

export interface AvroLogicalType {
  readonly name: string;
  readonly precision?: number;
  readonly scale?: number;
}

export interface AvroPrimitiveType {
  readonly kind: 'primitive';
  readonly name: AvroPrimitive;
  readonly logicalType?: AvroLogicalType;
}

interface AvroNamedBase {
  readonly fullName: string;
  /** Name without namespace. */
  readonly name: string;
  readonly namespace: string | undefined;
  /** Aliases, fully qualified. */
  readonly aliases: readonly string[];
  readonly doc: string | undefined;
}

export interface AvroField {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly doc: string | undefined;
  readonly type: AvroType;
  readonly hasDefault: boolean;
  readonly defaultValue: JsonValue | undefined;
}

export interface AvroRecordType extends AvroNamedBase {
  readonly kind: 'record';
  readonly fields: AvroField[];
}

export interface AvroEnumType extends AvroNamedBase {
  readonly kind: 'enum';
  readonly symbols: readonly string[];
  readonly defaultSymbol: string | undefined;
}

export interface AvroFixedType extends AvroNamedBase {
  readonly kind: 'fixed';
  readonly size: number;
  readonly logicalType?: AvroLogicalType;
}

export interface AvroArrayType {
  readonly kind: 'array';
  readonly items: AvroType;
}

export interface AvroMapType {
  readonly kind: 'map';
  readonly values: AvroType;
}

export interface AvroUnionType {
  readonly kind: 'union';
  readonly branches: readonly AvroType[];
}

export type AvroNamedType = AvroRecordType | AvroEnumType | AvroFixedType;

export function isNamedType(type: AvroType): type is AvroNamedType {
  return type.kind === 'record' || type.kind === 'enum' || type.kind === 'fixed';
}

class ModelParser {
  readonly named = new Map<string, AvroNamedType>();

  constructor(private readonly label: string) {}

  fail(path: string, message: string): never {
    throw new Error(`${this.label}: ${path}: ${message}`);
  }

  parse(node: JsonValue, namespace: string | undefined, path: string): AvroType {
    if (typeof node === 'string') return this.reference(node, namespace, path);
    if (Array.isArray(node)) {
      return { kind: 'union', branches: node.map((branch) => this.parse(branch, namespace, path)) };
    }
    if (!isJsonObject(node)) return this.fail(path, `not a valid Avro type: ${JSON.stringify(node)}`);
    const type = node['type'];
    if (typeof type !== 'string') return this.parse(type ?? null, namespace, path);
    switch (type) {
      case 'record':
      case 'error':
        return this.record(node, namespace, path);
      case 'enum':
        return this.enumType(node, namespace, path);
      case 'fixed':
        return this.fixed(node, namespace, path);
      case 'array':
        return { kind: 'array', items: this.parse(node['items'] ?? null, namespace, `${path}[]`) };
      case 'map':
        return { kind: 'map', values: this.parse(node['values'] ?? null, namespace, `${path}{}`) };
      default:
        if (isPrimitiveName(type)) {
          const logicalType = logicalTypeOf(node);
          return logicalType ? { kind: 'primitive', name: type, logicalType } : { kind: 'primitive', name: type };
        }
        return this.reference(type, namespace, path);
    }
  }

  private reference(name: string, namespace: string | undefined, path: string): AvroType {
    if (isPrimitiveName(name)) return { kind: 'primitive', name };
    const named = this.named.get(qualifyName(name, namespace)) ?? this.named.get(name);
    if (!named) return this.fail(path, `unknown type '${name}'`);
    return named;
  }

  private namedBase(node: Record<string, JsonValue>, namespace: string | undefined, path: string): AvroNamedBase {
    const name = node['name'];
    if (typeof name !== 'string') return this.fail(path, 'named type without a name');
    const explicitNs = node['namespace'];
    const fullName = qualifyName(name, typeof explicitNs === 'string' && explicitNs !== '' ? explicitNs : namespace);
    const ownNs = namespaceOf(fullName);
    const aliases = Array.isArray(node['aliases'])
      ? node['aliases'].filter((a): a is string => typeof a === 'string').map((a) => qualifyName(a, ownNs))
      : [];
    const doc = typeof node['doc'] === 'string' ? node['doc'] : undefined;
    return { fullName, name: simpleNameOf(fullName), namespace: ownNs, aliases, doc };
  }

  private register(type: AvroNamedType, path: string): void {
    if (this.named.has(type.fullName)) this.fail(path, `named type '${type.fullName}' is defined twice`);
    this.named.set(type.fullName, type);
  }

  private record(node: Record<string, JsonValue>, namespace: string | undefined, path: string): AvroRecordType {
    const base = this.namedBase(node, namespace, path);
    const record: AvroRecordType = { kind: 'record', ...base, fields: [] };
    // Registered before the fields are parsed so that a recursive reference resolves to itself.
    this.register(record, path);
    const fields = node['fields'];
    if (!Array.isArray(fields)) return this.fail(path, `record ${base.fullName} has no fields array`);
    for (const field of fields) {
      if (!isJsonObject(field) || typeof field['name'] !== 'string') return this.fail(path, `record ${base.fullName} has a field without a name`);
      const fieldPath = `${path}.${field['name']}`;
      const aliases = Array.isArray(field['aliases']) ? field['aliases'].filter((a): a is string => typeof a === 'string') : [];
      record.fields.push({
        name: field['name'],
        aliases,
        doc: typeof field['doc'] === 'string' ? field['doc'] : undefined,
        type: this.parse(field['type'] ?? null, base.namespace, fieldPath),
        hasDefault: 'default' in field,
        defaultValue: field['default'],
      });
    }
    return record;
  }

  private enumType(node: Record<string, JsonValue>, namespace: string | undefined, path: string): AvroEnumType {
    const base = this.namedBase(node, namespace, path);
    const symbols = Array.isArray(node['symbols']) ? node['symbols'].filter((s): s is string => typeof s === 'string') : [];
    const def = node['default'];
    const type: AvroEnumType = { kind: 'enum', ...base, symbols, defaultSymbol: typeof def === 'string' ? def : undefined };
    this.register(type, path);
    return type;
  }

  private fixed(node: Record<string, JsonValue>, namespace: string | undefined, path: string): AvroFixedType {
    const base = this.namedBase(node, namespace, path);
    const size = node['size'];
    if (typeof size !== 'number') return this.fail(path, `fixed ${base.fullName} has no size`);
    const logicalType = logicalTypeOf(node);
    const type: AvroFixedType = logicalType ? { kind: 'fixed', ...base, size, logicalType } : { kind: 'fixed', ...base, size };
    this.register(type, path);
    return type;
  }
}

function logicalTypeOf(node: Record<string, JsonValue>): AvroLogicalType | undefined {
  const name = node['logicalType'];
  if (typeof name !== 'string') return undefined;
  if (name !== 'decimal') return { name };
  const precision = node['precision'];
  const scale = node['scale'];
  return { name, precision: typeof precision === 'number' ? precision : undefined, scale: typeof scale === 'number' ? scale : 0 };
}

/**
 * Parses a self-contained Avro schema (every named type defined before use) into the model.
 * `label` names the schema in errors, e.g. 'InvoiceReceived v2 (schemas/events/invoice/InvoiceReceived.v2.avsc)'.
 */
export function parseAvroModel(schema: unknown, label: string): AvroType {
  const parser = new ModelParser(label);
  const root = schema as JsonValue;
  const rootName = isJsonObject(root) && typeof root['name'] === 'string' ? simpleNameOf(root['name']) : '(root)';
  return parser.parse(root, undefined, rootName);
}

/** Short human description of a type for messages: 'string', 'decimal(19,4)', 'record finmesh.common.Money'. */
export function describeType(type: AvroType): string {
  switch (type.kind) {
    case 'primitive':
      if (type.logicalType?.name === 'decimal') return `decimal(${type.logicalType.precision},${type.logicalType.scale})`;
      return type.logicalType ? `${type.name} (${type.logicalType.name})` : type.name;
    case 'record':
    case 'enum':
    case 'fixed':
      return `${type.kind} ${type.fullName}`;
    case 'array':
      return `array<${describeType(type.items)}>`;
    case 'map':
      return `map<${describeType(type.values)}>`;
    case 'union':
      return `[${type.branches.map(describeType).join(', ')}]`;
  }
}
