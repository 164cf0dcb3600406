import {
  FLOATING_POINT_PRIMITIVES,
  isJsonObject,
  isPrimitiveName,
  isValidSimpleName,
  namespaceOf,
  qualifyName,
  simpleNameOf,
  type AvroPrimitive,
  type JsonObject,
  type JsonValue,
} from './avro-json';
import type { SchemaProblem } from './schema-errors';
import { isSensitiveKind, SENSITIVE_ATTRIBUTE, SENSITIVE_KINDS, type SensitiveFieldDeclaration } from '../sensitive-data/sensitive-kinds';

/** A named type (record / enum / fixed) defined in a shared file under `schemas/common/`. */
export interface NamedDefinition {
  readonly fullName: string;
  /** The definition as written (a node inside the parsed file). */
  readonly definition: JsonObject;
  /** Namespace enclosing the definition where it was written (for nested definitions). */
  readonly enclosingNamespace: string | undefined;
  readonly file: string;
}

/** Logical types the contracts may use, with the Avro type each one annotates. */
const LOGICAL_TYPE_BASES: Readonly<Record<string, readonly string[]>> = {
  decimal: ['bytes', 'fixed'],
  uuid: ['string'],
  date: ['int'],
  'time-millis': ['int'],
  'time-micros': ['long'],
  'timestamp-millis': ['long'],
  'timestamp-micros': ['long'],
  'local-timestamp-millis': ['long'],
  'local-timestamp-micros': ['long'],
  duration: ['fixed'],
};

/** Attributes that are governance metadata, not contract: stripped from what gets registered. */
export const GOVERNANCE_ATTRIBUTES: readonly string[] = ['finmesh.compatibility'];

interface InlineContext {
  readonly registry: ReadonlyMap<string, NamedDefinition>;
  /** Named types already defined in the output, with the file each definition came from. */
  readonly defined: Map<string, string>;
  readonly problems: SchemaProblem[];
  /** Fields declared `"finmesh.sensitive"`, collected while the schema is walked. */
  readonly sensitive: SensitiveFieldDeclaration[];
}

function noFloats(primitive: AvroPrimitive, path: string, file: string, ctx: InlineContext): void {
  if (FLOATING_POINT_PRIMITIVES.includes(primitive)) {
    ctx.problems.push({
      file,
      message:
        `${path} is declared as '${primitive}': binary floating point is not allowed in finmesh contracts ` +
        `(it cannot represent 0.10 exactly). Use a decimal: {"type": "bytes", "logicalType": "decimal", "precision": 19, "scale": 4}.`,
    });
  }
}

function checkLogicalType(node: JsonObject, base: string, path: string, file: string, ctx: InlineContext): void {
  const logical = node['logicalType'];
  if (logical === undefined) return;
  if (typeof logical !== 'string' || !(logical in LOGICAL_TYPE_BASES)) {
    // avsc silently ignores unknown logical types, so a typo would turn a timestamp into a bare long.
    ctx.problems.push({ file, message: `${path} has unknown logicalType ${JSON.stringify(logical)}` });
    return;
  }
  if (!LOGICAL_TYPE_BASES[logical]?.includes(base)) {
    ctx.problems.push({ file, message: `${path}: logicalType '${logical}' cannot annotate '${base}'` });
    return;
  }
  if (logical === 'decimal') {
    const precision = node['precision'];
    const scale = node['scale'] ?? 0;
    const valid =
      typeof precision === 'number' && Number.isInteger(precision) && precision > 0 &&
      typeof scale === 'number' && Number.isInteger(scale) && scale >= 0 && scale <= precision;
    if (!valid) {
      ctx.problems.push({ file, message: `${path}: decimal needs an integer precision > 0 and 0 <= scale <= precision (got precision ${JSON.stringify(precision)}, scale ${JSON.stringify(scale)})` });
    }
  }
}

function requireDoc(node: JsonObject, what: string, file: string, ctx: InlineContext): void {
  if (typeof node['doc'] !== 'string' || node['doc'].trim() === '') {
    ctx.problems.push({ file, message: `${what} has no "doc"; every record, enum and field of a contract is documented` });
  }
}

function inlineReference(name: string, namespace: string | undefined, path: string, file: string, ctx: InlineContext): JsonValue {
  if (isPrimitiveName(name)) {
    noFloats(name, path, file, ctx);
    return name;
  }
  const fullName = qualifyName(name, namespace);
  if (ctx.defined.has(fullName)) return fullName;
  const shared = ctx.registry.get(fullName);
  if (!shared) {
    const resolved = fullName !== name ? ` (resolved as '${fullName}')` : '';
    ctx.problems.push({ file, message: `${path} refers to unknown type '${name}'${resolved}; shared types live in schemas/common/<FullName>.avsc` });
    return name;
  }
  // First use in this schema: the full definition goes here, later uses are by name.
  return inlineType(shared.definition, shared.enclosingNamespace, path, shared.file, ctx);
}

function inlineNamed(node: JsonObject, kind: string, namespace: string | undefined, path: string, file: string, ctx: InlineContext): JsonValue {
  const name = node['name'];
  if (typeof name !== 'string' || !name.split('.').every(isValidSimpleName)) {
    ctx.problems.push({ file, message: `${path}: ${kind} has an invalid or missing name ${JSON.stringify(name)}` });
    return node;
  }
  const explicitNs = typeof node['namespace'] === 'string' && node['namespace'] !== '' ? node['namespace'] : undefined;
  const fullName = qualifyName(name, explicitNs ?? namespace);
  const ownNs = namespaceOf(fullName);
  const shared = ctx.registry.get(fullName);
  const previous = ctx.defined.get(fullName);
  if (previous !== undefined) {
    // A shared definition nested in another shared one may already have been emitted on its own.
    if (shared?.definition === node) return fullName;
    ctx.problems.push({ file, message: `${path}: ${kind} '${fullName}' is defined again (already defined in ${previous}); refer to it by name` });
    return fullName;
  }
  if (shared && shared.definition !== node) {
    ctx.problems.push({ file, message: `${path}: ${kind} '${fullName}' redefines the shared type of ${shared.file}; refer to it by name instead` });
  }
  ctx.defined.set(fullName, file);
  requireDoc(node, `${kind} ${fullName}`, file, ctx);

  // Explicit name + namespace on every definition: the output reads the same wherever it is embedded.
  const out: JsonObject = { type: kind, name: simpleNameOf(fullName) };
  if (ownNs) out['namespace'] = ownNs;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'name' || key === 'namespace' || key === 'fields') continue;
    if (GOVERNANCE_ATTRIBUTES.includes(key)) continue;
    out[key] = value;
  }
  if (kind === 'fixed') checkLogicalType(node, 'fixed', path, file, ctx);
  if (kind === 'record') {
    const fields = node['fields'];
    if (!Array.isArray(fields)) {
      ctx.problems.push({ file, message: `${path}: record '${fullName}' has no "fields" array` });
      out['fields'] = [];
      return out;
    }
    out['fields'] = fields.map((field) => {
      if (!isJsonObject(field) || typeof field['name'] !== 'string') {
        ctx.problems.push({ file, message: `${path}: record '${fullName}' has a field without a name` });
        return field;
      }
      const fieldPath = `${path}.${field['name']}`;
      requireDoc(field, `field ${fieldPath}`, file, ctx);
      // The sensitivity mark is read into the catalog and stripped from what is registered: the
      // registry matches a schema by its exact text, so an added mark would no longer find the
      // released schema's id (a field property is not part of the Parsing Canonical Form either).
      const { [SENSITIVE_ATTRIBUTE]: sensitive, ...registered } = field;
      if (sensitive !== undefined) {
        if (isSensitiveKind(sensitive)) ctx.sensitive.push({ record: fullName, field: field['name'], kind: sensitive, file });
        else ctx.problems.push({ file, message: `field ${fieldPath}: "${SENSITIVE_ATTRIBUTE}": ${JSON.stringify(sensitive)} is not one of ${SENSITIVE_KINDS.join(', ')}` });
      }
      return { ...registered, type: inlineType(field['type'] ?? null, ownNs, fieldPath, file, ctx) };
    });
  }
  return out;
}

/**
 * Rewrites one type so that every reference to a shared type is replaced by its full definition
 * on first use (and by full name afterwards), while linting what it walks: floats, unknown
 * references, logical types, missing docs. `path` is the field path used in messages,
 * e.g. 'InvoiceReceived.lines[].unitPrice.amount'.
 */
function inlineType(node: JsonValue, namespace: string | undefined, path: string, file: string, ctx: InlineContext): JsonValue {
  if (typeof node === 'string') return inlineReference(node, namespace, path, file, ctx);
  if (Array.isArray(node)) return node.map((branch) => inlineType(branch, namespace, path, file, ctx));
  if (!isJsonObject(node)) {
    ctx.problems.push({ file, message: `${path}: ${JSON.stringify(node)} is not an Avro type` });
    return node;
  }
  const type = node['type'];
  if (typeof type !== 'string') {
    // {"type": {...}} or {"type": [...]}: a wrapper around another type.
    return inlineType(type ?? null, namespace, path, file, ctx);
  }
  switch (type) {
    case 'record':
    case 'error':
    case 'enum':
    case 'fixed':
      return inlineNamed(node, type === 'error' ? 'record' : type, namespace, path, file, ctx);
    case 'array':
      return { ...node, items: inlineType(node['items'] ?? null, namespace, `${path}[]`, file, ctx) };
    case 'map':
      return { ...node, values: inlineType(node['values'] ?? null, namespace, `${path}{}`, file, ctx) };
    default:
      if (isPrimitiveName(type)) {
        noFloats(type, path, file, ctx);
        checkLogicalType(node, type, path, file, ctx);
        return { ...node };
      }
      return inlineReference(type, namespace, path, file, ctx);
  }
}

/**
 * Builds the self-contained form of a schema: the JSON registered in the schema registry, with
 * every shared type defined at its first use. Problems are appended to `problems`, fields marked
 * `"finmesh.sensitive"` to `sensitive` (the mark itself is not part of the output).
 */
export function buildSelfContainedSchema(
  schema: JsonValue,
  file: string,
  registry: ReadonlyMap<string, NamedDefinition>,
  problems: SchemaProblem[],
  sensitive: SensitiveFieldDeclaration[] = [],
): JsonValue {
  const rootName = isJsonObject(schema) && typeof schema['name'] === 'string' ? simpleNameOf(schema['name']) : '(root)';
  return inlineType(schema, undefined, rootName, file, { registry, defined: new Map(), problems, sensitive });
}

/** Every named type defined in a file (top level and nested), for the shared-type registry. */
export function collectNamedDefinitions(schema: JsonValue, file: string): NamedDefinition[] {
  const found: NamedDefinition[] = [];
  const walk = (node: JsonValue | undefined, namespace: string | undefined): void => {
    if (Array.isArray(node)) {
      node.forEach((branch) => walk(branch, namespace));
      return;
    }
    if (!isJsonObject(node)) return;
    const type = node['type'];
    if (typeof type !== 'string') {
      walk(type, namespace);
      return;
    }
    if (type === 'array') return walk(node['items'], namespace);
    if (type === 'map') return walk(node['values'], namespace);
    if (!['record', 'error', 'enum', 'fixed'].includes(type) || typeof node['name'] !== 'string') return;
    const explicitNs = typeof node['namespace'] === 'string' && node['namespace'] !== '' ? node['namespace'] : undefined;
    const fullName = qualifyName(node['name'], explicitNs ?? namespace);
    found.push({ fullName, definition: node, enclosingNamespace: namespace, file });
    const fields = node['fields'];
    if (Array.isArray(fields)) {
      for (const field of fields) if (isJsonObject(field)) walk(field['type'], namespaceOf(fullName));
    }
  };
  walk(schema, undefined);
  return found;
}
