import type * as avro from 'avsc';

/**
 * Reader schemas that keep only the fields a consumer reads. Avro schema resolution skips every
 * writer field that the reader schema lacks, without building a value for it. A rebuild that reads
 * millions of events then spends neither decoding time nor garbage on descriptions, tax lines,
 * URIs or correlation ids that its projection never looks at.
 *
 * A path names fields from the event record down, separated by dots: 'invoiceId',
 * 'envelope.legalEntity.code', 'lines.amount.currency'. Arrays and nullable unions are passed
 * through, so 'lines.amount' means the `amount` of every line. A path that ends at a record
 * keeps all of that record.
 */
export type FieldPaths = readonly string[];

type SchemaNode = string | SchemaNode[] | { readonly [key: string]: unknown };
type NamedDefinition = { readonly [key: string]: unknown; readonly name: string; readonly type: string };
type Needs = Map<string, Set<string> | 'all'>;

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

/** `schema` (a self-contained event schema) reduced to `paths`; throws naming a path that does not exist. */
export function narrowSchema(schema: avro.Schema, paths: FieldPaths, label = 'schema'): avro.Schema {
  const definitions = new Map<string, { node: NamedDefinition; namespace: string }>();
  register(schema as SchemaNode, '', definitions);
  const root = recordsIn(schema as SchemaNode, '', definitions);
  const needs: Needs = new Map();
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.some((s) => s === '') || root.length === 0) throw new Error(`${label}: field path '${path}' is not a path of record fields`);
    markPath(root, segments, path, label, definitions, needs);
  }
  return emit(schema as SchemaNode, '', definitions, needs, new Set()) as avro.Schema;
}

function fullName(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
}

function namespaceOf(full: string): string {
  return full.includes('.') ? full.slice(0, full.lastIndexOf('.')) : '';
}

function isObject(node: SchemaNode): node is { readonly [key: string]: unknown } {
  return typeof node === 'object' && !Array.isArray(node);
}

/** Every named type defined in the schema, by full name. */
function register(node: SchemaNode, namespace: string, definitions: Map<string, { node: NamedDefinition; namespace: string }>): void {
  if (Array.isArray(node)) return node.forEach((branch) => register(branch, namespace, definitions));
  if (!isObject(node)) return;
  const type = node['type'];
  if (typeof type === 'string' && NAMED.has(type)) {
    const full = fullName(String(node['name']), typeof node['namespace'] === 'string' ? node['namespace'] : namespace);
    if (!definitions.has(full)) definitions.set(full, { node: node as NamedDefinition, namespace: namespaceOf(full) });
    for (const field of (node['fields'] as { type: SchemaNode }[] | undefined) ?? []) register(field.type, namespaceOf(full), definitions);
    return;
  }
  if (type === 'array') register(node['items'] as SchemaNode, namespace, definitions);
  else if (type === 'map') register(node['values'] as SchemaNode, namespace, definitions);
  else if (typeof type === 'object' && type !== null) register(type as SchemaNode, namespace, definitions);
}

/** The full names of the records a field of this type leads to (through arrays, maps, unions and references). */
function recordsIn(node: SchemaNode, namespace: string, definitions: Map<string, { node: NamedDefinition; namespace: string }>): string[] {
  if (Array.isArray(node)) return node.flatMap((branch) => recordsIn(branch, namespace, definitions));
  if (typeof node === 'string') {
    if (PRIMITIVES.has(node)) return [];
    const full = definitions.has(node) ? node : fullName(node, namespace);
    const definition = definitions.get(full);
    return definition ? recordsIn(definition.node, definition.namespace, definitions) : [];
  }
  if (!isObject(node)) return [];
  const type = node['type'];
  if (type === 'record' || type === 'error') return [fullName(String(node['name']), typeof node['namespace'] === 'string' ? node['namespace'] : namespace)];
  if (type === 'array') return recordsIn(node['items'] as SchemaNode, namespace, definitions);
  if (type === 'map') return recordsIn(node['values'] as SchemaNode, namespace, definitions);
  if (typeof type === 'object' && type !== null) return recordsIn(type as SchemaNode, namespace, definitions);
  return [];
}

function fieldsOf(record: string, definitions: Map<string, { node: NamedDefinition; namespace: string }>): { name: string; type: SchemaNode }[] {
  return (definitions.get(record)?.node['fields'] as { name: string; type: SchemaNode }[] | undefined) ?? [];
}

function markPath(records: string[], segments: string[], path: string, label: string, definitions: Map<string, { node: NamedDefinition; namespace: string }>, needs: Needs): void {
  const [name, ...rest] = segments;
  let found = false;
  for (const record of records) {
    const field = fieldsOf(record, definitions).find((f) => f.name === name);
    if (!field) continue;
    found = true;
    const needed = needs.get(record);
    if (needed !== 'all') needs.set(record, (needed ?? new Set<string>()).add(field.name));
    const inner = recordsIn(field.type, definitions.get(record)?.namespace ?? '', definitions);
    if (rest.length > 0) {
      if (inner.length === 0) throw new Error(`${label}: field path '${path}' goes on past '${name}', which holds no record`);
      markPath(inner, rest, path, label, definitions, needs);
    } else {
      for (const r of inner) markAll(r, definitions, needs);
    }
  }
  if (!found) throw new Error(`${label}: field path '${path}' names '${name}', which is not a field there`);
}

function markAll(record: string, definitions: Map<string, { node: NamedDefinition; namespace: string }>, needs: Needs): void {
  if (needs.get(record) === 'all') return;
  needs.set(record, 'all');
  for (const field of fieldsOf(record, definitions)) {
    for (const inner of recordsIn(field.type, definitions.get(record)?.namespace ?? '', definitions)) markAll(inner, definitions, needs);
  }
}

/**
 * The narrowed schema. Each named type is written out in full at its first use in the narrowed
 * schema, and referenced by its full name after that. Its first definition in the original may sit
 * in a field that was dropped (Money first appears in tax lines, say), so it cannot stay where it was.
 */
function emit(node: SchemaNode, namespace: string, definitions: Map<string, { node: NamedDefinition; namespace: string }>, needs: Needs, emitted: Set<string>): SchemaNode {
  if (Array.isArray(node)) return node.map((branch) => emit(branch, namespace, definitions, needs, emitted));
  if (typeof node === 'string') {
    if (PRIMITIVES.has(node)) return node;
    const full = definitions.has(node) ? node : fullName(node, namespace);
    const definition = definitions.get(full);
    if (!definition || emitted.has(full)) return full;
    return emit(definition.node, definition.namespace, definitions, needs, emitted);
  }
  if (!isObject(node)) return node;
  const type = node['type'];
  if (typeof type === 'string' && NAMED.has(type)) {
    const full = fullName(String(node['name']), typeof node['namespace'] === 'string' ? node['namespace'] : namespace);
    if (emitted.has(full)) return full;
    emitted.add(full);
    const { namespace: _dropped, ...rest } = node;
    void _dropped;
    if (type !== 'record' && type !== 'error') return { ...rest, name: full };
    const needed = needs.get(full);
    const fields = (node['fields'] as { name: string; type: SchemaNode }[]).filter((f) => needed === 'all' || (needed?.has(f.name) ?? false));
    return { ...rest, name: full, fields: fields.map((f) => ({ ...f, type: emit(f.type, namespaceOf(full), definitions, needs, emitted) })) };
  }
  if (type === 'array') return { ...node, items: emit(node['items'] as SchemaNode, namespace, definitions, needs, emitted) };
  if (type === 'map') return { ...node, values: emit(node['values'] as SchemaNode, namespace, definitions, needs, emitted) };
  if (typeof type === 'object' && type !== null) return { ...node, type: emit(type as SchemaNode, namespace, definitions, needs, emitted) };
  return node;
}
