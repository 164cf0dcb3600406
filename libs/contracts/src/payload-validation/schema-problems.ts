import { z } from 'zod/v4';

/**
 * Field problems of a JSON payload against a zod (v4) schema, worded and pathed as finmesh words
 * every refusal: HTTP request schemas (service-kit) and the adapters' platform payload schemas
 * (which the pollers apply too) report through this one function.
 */

/** One reason a payload is refused, at the path of the offending value (`invoice-lines[0].total`). */
export interface PayloadProblem {
  readonly path: string;
  readonly reason: string;
}

/** `lines[0].description`, `'$'` for the body itself: the paths the mappers and input limits use. */
function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '$' : out;
}

const KINDS: Readonly<Record<string, string>> = { int: 'a whole number', number: 'a number', string: 'a string', boolean: 'true or false', object: 'an object', array: 'an array' };

/**
 * The reason for a zod issue that its schema gave no message of its own, worded as the mappers
 * word theirs ("is required", "must be ..."). The input is never quoted: it may be a bank account.
 */
function defaultReason(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' ? `must contain at least ${String(issue.minimum)} item(s)` : issue.origin === 'string' ? `must be at least ${String(issue.minimum)} characters long` : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array' ? `must contain at most ${String(issue.maximum)} item(s)` : issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters long` : `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_format':
      return `must be ${issue.format === 'regex' ? 'in the documented format' : `a valid ${issue.format}`}`;
    default:
      return undefined;
  }
}

/** Every problem of a payload against a schema, in document order; [] when it fits. */
export function schemaProblems(schema: z.ZodType, payload: unknown): PayloadProblem[] {
  const result = schema.safeParse(payload, { error: defaultReason });
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: pathOf(issue.path), reason: issue.message }));
}
