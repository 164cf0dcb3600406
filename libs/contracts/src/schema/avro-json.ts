/**
 * Plain-JSON view of Avro schemas as they are written in `schemas/**.avsc` and as they are
 * registered in the schema registry. Kept free of avsc types on purpose: the contracts are data,
 * and the governance code must be able to say *where* in that data something is wrong.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export const AVRO_PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;
export type AvroPrimitive = (typeof AVRO_PRIMITIVES)[number];

/** Binary floating point types: banned from the contracts (money and quantities are decimals). */
export const FLOATING_POINT_PRIMITIVES: readonly AvroPrimitive[] = ['float', 'double'];

const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isPrimitiveName(name: string): name is AvroPrimitive {
  return (AVRO_PRIMITIVES as readonly string[]).includes(name);
}

export function isValidSimpleName(name: string): boolean {
  return AVRO_NAME.test(name);
}

/**
 * Full name of a named type per the Avro spec: a name containing a dot is already full;
 * otherwise it lives in the explicit namespace or, failing that, the enclosing one.
 */
export function qualifyName(name: string, namespace: string | undefined): string {
  if (name.includes('.')) return name;
  return namespace ? `${namespace}.${name}` : name;
}

export function namespaceOf(fullName: string): string | undefined {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? undefined : fullName.slice(0, dot);
}

export function simpleNameOf(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf('.') + 1);
}

/** Deep copy through JSON, for values known to be JSON (schemas read from files). */
export function cloneJson<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Stable serialisation (object keys sorted) for fingerprints and structural comparison. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
