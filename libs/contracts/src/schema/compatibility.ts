import { describeType, parseAvroModel, type AvroEnumType, type AvroFixedType, type AvroNamedType, type AvroPrimitiveType, type AvroRecordType, type AvroType } from './avro-model';

/** Confluent-style compatibility modes; the default for finmesh events is BACKWARD_TRANSITIVE. */
export const COMPATIBILITY_MODES = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];
export const DEFAULT_COMPATIBILITY: CompatibilityMode = 'BACKWARD_TRANSITIVE';

export function isCompatibilityMode(value: unknown): value is CompatibilityMode {
  return typeof value === 'string' && (COMPATIBILITY_MODES as readonly string[]).includes(value);
}

/** A schema version under check: the self-contained Avro JSON plus a label naming version and file. */
export interface VersionedSchema {
  readonly schema: unknown;
  /** e.g. 'InvoiceReceived v2 (schemas/events/invoice/InvoiceReceived.v2.avsc)'. */
  readonly label: string;
}

export interface CompatibilityIssue {
  /** Field path, e.g. 'InvoiceReceived.lines[].unitPrice.amount'. */
  readonly path: string;
  /** Names both schema versions, the direction that breaks and the offending field. */
  readonly message: string;
}

/** Which side of the resolution is the newer schema; only changes how messages are phrased. */
type ReaderRole = 'newer' | 'older';

interface ResolutionContext {
  readonly readerRole: ReaderRole;
  /** Record pairs already being checked: guards recursive schemas. */
  readonly seen: Set<string>;
}

interface Found {
  readonly path: string;
  readonly text: string;
}

// Avro schema resolution, "promotions" section: writer type -> reader types that can read it.
const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

function namesMatch(reader: AvroNamedType, writer: AvroNamedType): boolean {
  return reader.fullName === writer.fullName || reader.aliases.includes(writer.fullName);
}

function sameKindAndName(reader: AvroType, writer: AvroType): boolean {
  if (reader.kind !== writer.kind) return false;
  if (reader.kind === 'record' || reader.kind === 'enum' || reader.kind === 'fixed') return namesMatch(reader, writer as AvroNamedType);
  if (reader.kind === 'primitive' && writer.kind === 'primitive') return reader.name === writer.name;
  return true;
}

/**
 * Checks whether data written with `writer` can be read with `reader`, following the Avro
 * specification's schema resolution rules, and collects every reason it cannot.
 */
class Resolver {
  readonly found: Found[] = [];

  constructor(private readonly ctx: ResolutionContext) {}

  private add(path: string, text: string): void {
    this.found.push({ path, text });
  }

  /** True when writer can be read as reader, without recording anything. */
  private readable(reader: AvroType, writer: AvroType): boolean {
    const probe = new Resolver({ readerRole: this.ctx.readerRole, seen: new Set(this.ctx.seen) });
    probe.resolve(reader, writer, '');
    return probe.found.length === 0;
  }

  resolve(reader: AvroType, writer: AvroType, path: string): void {
    if (writer.kind === 'union') return this.writerUnion(reader, writer.branches, path);
    if (reader.kind === 'union') return this.readerUnion(reader.branches, writer, path);
    switch (reader.kind) {
      case 'primitive':
        return writer.kind === 'primitive' ? this.primitive(reader, writer, path) : this.typeChanged(reader, writer, path);
      case 'record':
        return writer.kind === 'record' ? this.record(reader, writer, path) : this.typeChanged(reader, writer, path);
      case 'enum':
        return writer.kind === 'enum' ? this.enumeration(reader, writer, path) : this.typeChanged(reader, writer, path);
      case 'fixed':
        return writer.kind === 'fixed' ? this.fixed(reader, writer, path) : this.typeChanged(reader, writer, path);
      case 'array':
        return writer.kind === 'array' ? this.resolve(reader.items, writer.items, `${path}[]`) : this.typeChanged(reader, writer, path);
      case 'map':
        return writer.kind === 'map' ? this.resolve(reader.values, writer.values, `${path}{}`) : this.typeChanged(reader, writer, path);
    }
  }

  private typeChanged(reader: AvroType, writer: AvroType, path: string): void {
    this.add(path, `type changed from ${describeType(writer)} (writer) to ${describeType(reader)} (reader), which Avro cannot resolve`);
  }

  private primitive(reader: AvroPrimitiveType, writer: AvroPrimitiveType, path: string): void {
    if (reader.name !== writer.name && !PROMOTIONS[writer.name]?.includes(reader.name)) return this.typeChanged(reader, writer, path);
    this.logical(reader, writer, path);
  }

  /**
   * Logical types are part of the contract's meaning even where the bytes would still decode:
   * a decimal read with another scale is off by powers of ten, so any change is a break.
   */
  private logical(reader: AvroPrimitiveType | AvroFixedType, writer: AvroPrimitiveType | AvroFixedType, path: string): void {
    const r = reader.logicalType;
    const w = writer.logicalType;
    if (!r && !w) return;
    if (r?.name !== w?.name) {
      this.add(path, `logical type changed from ${w ? w.name : 'none'} (writer) to ${r ? r.name : 'none'} (reader)`);
      return;
    }
    if (r?.name === 'decimal' && (r.precision !== w?.precision || r.scale !== w?.scale)) {
      this.add(path, `decimal precision/scale changed from decimal(${w?.precision},${w?.scale}) (writer) to decimal(${r.precision},${r.scale}) (reader); a decimal's scale and precision are fixed once published`);
    }
  }

  private nameMismatch(reader: AvroNamedType, writer: AvroNamedType, path: string): boolean {
    if (namesMatch(reader, writer)) return false;
    this.add(path, `${reader.kind} name changed from '${writer.fullName}' (writer) to '${reader.fullName}' (reader); add "aliases": ["${writer.fullName}"] to the reader to rename a type`);
    return true;
  }

  private record(reader: AvroRecordType, writer: AvroRecordType, path: string): void {
    if (this.nameMismatch(reader, writer, path)) return;
    const key = `${reader.fullName}<-${writer.fullName}`;
    if (this.ctx.seen.has(key)) return;
    this.ctx.seen.add(key);
    for (const field of reader.fields) {
      const fieldPath = `${path}.${field.name}`;
      const source = writer.fields.find((w) => w.name === field.name) ?? writer.fields.find((w) => field.aliases.includes(w.name));
      if (source) {
        this.resolve(field.type, source.type, fieldPath);
      } else if (!field.hasDefault) {
        this.add(
          fieldPath,
          this.ctx.readerRole === 'newer'
            ? `field '${field.name}' was added without a default, so data written before it existed cannot be read; give it a default (e.g. make it ["null", ...] with "default": null)`
            : `field '${field.name}' was removed, but the older schema declares it without a default, so its readers cannot read new data; keep the field or (in a compatible step first) give it a default`,
        );
      }
    }
  }

  private enumeration(reader: AvroEnumType, writer: AvroEnumType, path: string): void {
    if (this.nameMismatch(reader, writer, path)) return;
    if (reader.defaultSymbol !== undefined) return;
    const missing = writer.symbols.filter((s) => !reader.symbols.includes(s));
    if (missing.length > 0) {
      this.add(path, `enum ${reader.fullName}: symbol(s) ${missing.join(', ')} written by the ${this.ctx.readerRole === 'newer' ? 'older' : 'newer'} schema are unknown to the reader and the reader enum has no "default" symbol`);
    }
  }

  private fixed(reader: AvroFixedType, writer: AvroFixedType, path: string): void {
    if (this.nameMismatch(reader, writer, path)) return;
    if (reader.size !== writer.size) this.add(path, `fixed ${reader.fullName} size changed from ${writer.size} (writer) to ${reader.size} (reader)`);
    this.logical(reader, writer, path);
  }

  /** Every branch the writer may have written must be readable (Avro: resolve the branch actually written). */
  private writerUnion(reader: AvroType, branches: readonly AvroType[], path: string): void {
    for (const branch of branches) {
      if (reader.kind === 'union') {
        this.readerUnion(reader.branches, branch, path);
      } else if (!this.readable(reader, branch)) {
        if (sameKindAndName(reader, branch)) this.resolve(reader, branch, path);
        else this.add(path, `writer union branch ${describeType(branch)} cannot be read as ${describeType(reader)} (e.g. a nullable field became non-nullable)`);
      }
    }
  }

  /** The writer's (non-union) type must be readable by some branch of the reader's union. */
  private readerUnion(branches: readonly AvroType[], writer: AvroType, path: string): void {
    if (branches.some((branch) => this.readable(branch, writer))) return;
    // Report the nested reasons of the branch the writer evidently meant, when there is one.
    const sameNamed = branches.find((branch) => sameKindAndName(branch, writer));
    if (sameNamed) return this.resolve(sameNamed, writer, path);
    this.add(path, `writer type ${describeType(writer)} matches no branch of the reader union [${branches.map(describeType).join(', ')}]`);
  }
}

function directionCheck(reader: VersionedSchema, writer: VersionedSchema, readerRole: ReaderRole, mode: string): CompatibilityIssue[] {
  const resolver = new Resolver({ readerRole, seen: new Set() });
  resolver.resolve(parseAvroModel(reader.schema, reader.label), parseAvroModel(writer.schema, writer.label), rootPath(reader));
  const direction = readerRole === 'newer' ? 'new readers must read old data' : 'old readers must read new data';
  return resolver.found.map((f) => ({
    path: f.path,
    message: `${mode} (${direction}): ${reader.label} cannot read data written with ${writer.label}: ${f.path}: ${f.text}`,
  }));
}

function rootPath(schema: VersionedSchema): string {
  const s = schema.schema;
  if (typeof s === 'object' && s !== null && 'name' in s && typeof s.name === 'string') return s.name.slice(s.name.lastIndexOf('.') + 1);
  return '(root)';
}

/**
 * Compatibility of one schema version with one other, earlier version. BACKWARD: the newer
 * schema (reader) reads data written with the older one; FORWARD: the older reads the newer;
 * FULL: both. Transitivity does not matter for a pair; see {@link checkNewVersion}.
 */
export function checkCompatibility(newer: VersionedSchema, older: VersionedSchema, mode: CompatibilityMode): CompatibilityIssue[] {
  const issues: CompatibilityIssue[] = [];
  if (mode === 'NONE') return issues;
  if (mode.startsWith('BACKWARD') || mode.startsWith('FULL')) issues.push(...directionCheck(newer, older, 'newer', mode));
  if (mode.startsWith('FORWARD') || mode.startsWith('FULL')) issues.push(...directionCheck(older, newer, 'older', mode));
  return issues;
}

/**
 * Compatibility of a new version against the versions before it (oldest first): *_TRANSITIVE
 * modes check against all of them (a consumer replaying a topic from the start meets every
 * version), the others only against the immediately previous one (what the registry does).
 */
export function checkNewVersion(newer: VersionedSchema, previous: readonly VersionedSchema[], mode: CompatibilityMode): CompatibilityIssue[] {
  const against = mode.endsWith('_TRANSITIVE') ? previous : previous.slice(-1);
  return against.flatMap((older) => checkCompatibility(newer, older, mode));
}
