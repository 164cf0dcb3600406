import fc from 'fast-check';
import { pathsOf, withValueAt } from './bad-bodies';

/** One generated event value: a valid sample with one value changed, and what was changed. */
export interface MutatedEvent {
  readonly value: Record<string, unknown>;
  /** 'lines.0.quantity: negated', for the report. */
  readonly mutation: string;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * The changes that keep a value Avro-encodable but may break a business rule: a string emptied,
 * made a code no list knows or longer than any id; a decimal or an integer negated; an array
 * emptied. Dates and timestamps are left alone (their shapes are the schema's business).
 */
function changesOf(current: unknown): Array<fc.Arbitrary<{ to: unknown; how: string }>> {
  if (typeof current === 'string' && DECIMAL.test(current)) {
    const negated = current.startsWith('-') ? current.slice(1) : `-${current === '0' ? '1' : current}`;
    return [fc.constant({ to: negated, how: 'negated' }), fc.constant({ to: `-9${current.replace(/^-/, '')}`, how: 'made negative' })];
  }
  if (typeof current === 'string') {
    return [
      fc.constant({ to: '', how: 'emptied' }),
      fc.constantFrom('ZZZ', 'XX', 'QQ', '-1', 'EURO').map((to) => ({ to, how: `set to '${to}'` })),
      fc.integer({ min: 201, max: 5_000 }).map((n) => ({ to: 'x'.repeat(n), how: `${n} characters` })),
    ];
  }
  if (typeof current === 'number' && Number.isInteger(current)) return [fc.integer({ min: -100_000, max: -1 }).map((to) => ({ to, how: `set to ${to}` }))];
  if (Array.isArray(current)) return [fc.constant({ to: [], how: 'emptied' })];
  return [];
}

/** Values of one event type, each a valid `sample` with one changed field (never the event id, which stays unique). */
export function mutatedEvent(sample: Record<string, unknown>): fc.Arbitrary<MutatedEvent> {
  const candidates = pathsOf(sample).filter((p) => p.length > 0 && p.join('.') !== 'envelope.eventId' && changesOf(valueAt(sample, p)).length > 0);
  return fc.constantFrom(...candidates).chain((path) =>
    fc.oneof(...changesOf(valueAt(sample, path))).map(({ to, how }) => ({
      value: withValueAt(sample, path, to) as Record<string, unknown>,
      mutation: `${path.join('.')}: ${how}`,
    })),
  );
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  return path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), value);
}
