/**
 * Limits every JSON body finmesh accepts meets before any endpoint reads it, whatever the
 * endpoint's own contract: PostgreSQL refuses NUL in text (a 500 at the INSERT, after work was
 * done), a recursive walker overflows its stack on JSON nested thousands deep, and a string of
 * megabytes is never a business value. Checked iteratively, so the check itself cannot overflow.
 * Endpoints' own validators add the contract's limits (lengths per field, formats) on top.
 */

/** One reason a body is refused, with the path of the offending value (`lines[0].description`). */
export interface InputProblem {
  readonly path: string;
  readonly reason: string;
}

export interface JsonInputLimits {
  /** Objects and arrays inside each other; the body itself is depth 1. */
  readonly maxDepth: number;
  /** Characters of one string value or key. */
  readonly maxStringLength: number;
  /** Elements of one array. */
  readonly maxArrayLength: number;
  /** Problems listed before the check stops (the body is refused either way). */
  readonly maxProblems: number;
}

/**
 * Sized for finance documents: a Coupa invoice or PO nests 5-6 levels, its longest texts (line
 * descriptions, comments) are well under 4,000 characters, and no document has 10,000 lines.
 */
export const DEFAULT_JSON_INPUT_LIMITS: JsonInputLimits = { maxDepth: 32, maxStringLength: 10_000, maxArrayLength: 10_000, maxProblems: 50 };

/** C0 controls other than tab, line feed and carriage return, and DEL: never part of a business value. */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

function codePoint(text: string): string {
  const found = CONTROL.exec(text);
  return found ? `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at position ${found.index}` : '';
}

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
  return parent === '' ? safe : `${parent}.${safe}`;
}

/**
 * Every problem of a parsed JSON value against the limits, in document order. The value is
 * never echoed (it may be a bank account or tax id): a problem names the path and the rule.
 */
export function jsonInputProblems(body: unknown, limits: JsonInputLimits = DEFAULT_JSON_INPUT_LIMITS): InputProblem[] {
  const problems: InputProblem[] = [];
  const stack: Array<{ readonly value: unknown; readonly path: string; readonly depth: number }> = [{ value: body, path: '', depth: 1 }];
  while (stack.length > 0 && problems.length < limits.maxProblems) {
    const { value, path, depth } = stack.pop()!;
    const at = path === '' ? '$' : path;
    if (typeof value === 'string') {
      if (value.length > limits.maxStringLength) problems.push({ path: at, reason: `is ${value.length} characters long; at most ${limits.maxStringLength} are accepted` });
      else if (CONTROL.test(value)) problems.push({ path: at, reason: `contains a control character (${codePoint(value)}), which no text field accepts` });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limits.maxDepth) {
      problems.push({ path: at, reason: `is nested ${depth} levels deep; at most ${limits.maxDepth} are accepted` });
      continue;
    }
    const children: Array<{ value: unknown; path: string; depth: number }> = [];
    if (Array.isArray(value)) {
      if (value.length > limits.maxArrayLength) {
        problems.push({ path: at, reason: `has ${value.length} elements; at most ${limits.maxArrayLength} are accepted` });
        continue;
      }
      value.forEach((item, i) => children.push({ value: item, path: childPath(path, i), depth: depth + 1 }));
    } else {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const keyPath = childPath(path, key);
        if (key.length > limits.maxStringLength || CONTROL.test(key)) {
          problems.push({ path: keyPath, reason: 'is not an acceptable field name (control characters or too long)' });
          continue;
        }
        children.push({ value: item, path: keyPath, depth: depth + 1 });
      }
    }
    // Reversed onto the stack, so problems come out in document order.
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]!);
  }
  return problems;
}
