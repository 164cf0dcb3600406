import fc from 'fast-check';

/** A request body as sent: its bytes and media type. */
export interface FuzzBody {
  readonly kind: string;
  readonly text: string;
  readonly contentType: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in a JSON document, as arrays of keys / indexes. */
export function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const here = [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return here;
}

/** `seed` with the value at `path` replaced (undefined = removed). */
export function withValueAt(seed: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(seed)) {
    const copy = [...seed];
    if (value === undefined && rest.length === 0) copy.splice(Number(head), 1);
    else copy[Number(head)] = withValueAt(seed[Number(head)], rest, value);
    return copy;
  }
  const copy = { ...(seed as Record<string, unknown>) };
  if (value === undefined && rest.length === 0) delete copy[String(head)];
  else copy[String(head)] = withValueAt(copy[String(head)], rest, value);
  return copy;
}

const CONTROL = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f');
const controlString = fc.tuple(fc.string({ maxLength: 10 }), CONTROL, fc.string({ maxLength: 10 })).map(([a, c, b]) => `${a}${c}${b}`);
const hugeString = fc.integer({ min: 10_001, max: 30_000 }).map((n) => 'x'.repeat(n));
const deepValue = fc.integer({ min: 33, max: 3_000 }).map((depth) => JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`) as Json);

/**
 * Bodies every endpoint must refuse, whatever its contract: a value breaking the shared input
 * limits (control character, over-long string, nesting) somewhere in a valid body, or a body
 * that is not JSON at all.
 */
export function alwaysInvalidBody(seed: unknown): fc.Arbitrary<FuzzBody> {
  const paths = pathsOf(seed);
  const json = (kind: string) => (value: unknown): FuzzBody => ({ kind, text: JSON.stringify(value), contentType: 'application/json' });
  return fc.oneof(
    fc.tuple(fc.constantFrom(...paths), controlString).map(([p, v]) => json('control character')(withValueAt(seed, p, v))),
    fc.tuple(fc.constantFrom(...paths), hugeString).map(([p, v]) => json('over-long string')(withValueAt(seed, p, v))),
    fc.tuple(fc.constantFrom(...paths), deepValue).map(([p, v]) => json('nesting')(withValueAt(seed, p, v))),
    fc.tuple(fc.string({ minLength: 1 }), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml')).map(([text, contentType]) => ({ kind: 'not JSON', text, contentType })),
    fc.string({ minLength: 1 }).filter((t) => !isJson(t)).map((text) => ({ kind: 'broken JSON', text, contentType: 'application/json' })),
  );
}

/**
 * Bodies that may or may not be acceptable: a valid body with one value replaced by any JSON
 * value, removed, or given another type; or any JSON document. Whatever the endpoint decides, it
 * must answer without a 5xx, and a 400/422 must name the field paths.
 */
export function mutatedBody(seed: unknown): fc.Arbitrary<FuzzBody> {
  const paths = pathsOf(seed);
  const json = (kind: string) => (value: unknown): FuzzBody => ({ kind, text: JSON.stringify(value), contentType: 'application/json' });
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 })).map(([p, v]) => json('value replaced')(withValueAt(seed, p, v))) },
    { weight: 2, arbitrary: fc.constantFrom(...paths.filter((p) => p.length > 0)).map((p) => json('value removed')(withValueAt(seed, p, undefined))) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string(), fc.constant([]), fc.constant({}))).map(([p, v]) => json('type changed')(withValueAt(seed, p, v))) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json('any JSON')) },
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
