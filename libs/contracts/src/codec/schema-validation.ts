import * as avro from 'avsc';
import type { FieldProblem } from './codec-errors';
import { describe, explainLogicalTypeFailure } from './logical-types';

const UNDECLARED = 'has fields that are not in the contract';

function typeLabel(type: avro.Type): string {
  if (avro.Type.isType(type, 'enum')) return `one of ${(type as avro.types.EnumType).symbols.join(', ')}`;
  if (avro.Type.isType(type, 'union')) {
    return (type as avro.types.UnwrappedUnionType).types.map((t: avro.Type) => t.branchName ?? t.typeName).join(' or ');
  }
  if (avro.Type.isType(type, 'record')) return `a ${type.name ?? 'record'} object`;
  if (avro.Type.isType(type, 'array')) return 'an array';
  if (avro.Type.isType(type, 'map')) return 'an object map';
  if (avro.Type.isType(type, 'long', 'int')) return `a whole number (${type.typeName})`;
  return type.typeName;
}

function explain(type: avro.Type, value: unknown): string {
  if (value === undefined) return `required field is missing (expected ${typeLabel(type)})`;
  const logical = explainLogicalTypeFailure(type, value);
  if (logical) return logical;
  if (avro.Type.isType(type, 'record') && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const declared = new Set((type as avro.types.RecordType).fields.map((f) => f.name));
    const extra = Object.keys(value).filter((k) => !declared.has(k));
    if (extra.length > 0) return `${UNDECLARED}: ${extra.join(', ')}`;
  }
  return `expected ${typeLabel(type)}, got ${describe(value)}`;
}

/**
 * Every reason `value` does not conform to `type`, each with its field path. Undeclared fields
 * are problems too: silently dropping a field a producer thought it sent is data loss.
 */
export function validateAgainstSchema(type: avro.Type, value: unknown): FieldProblem[] {
  const collect = (into: FieldProblem[]) => (path: string[], any: unknown, failing: avro.Type) => {
    into.push({ path: path.length > 0 ? path.join('.') : '(root)', message: explain(failing, any) });
  };
  // avsc stops descending into a record once it sees an undeclared field, so field-level problems
  // and undeclared fields are collected in two passes.
  const problems: FieldProblem[] = [];
  type.isValid(value, { errorHook: collect(problems) });
  const undeclared: FieldProblem[] = [];
  type.isValid(value, { noUndeclaredFields: true, errorHook: collect(undeclared) });
  const seen = new Set(problems.map((p) => `${p.path}|${p.message}`));
  for (const p of undeclared) {
    if (p.message.startsWith(UNDECLARED) && !seen.has(`${p.path}|${p.message}`)) problems.push(p);
  }
  return problems;
}
