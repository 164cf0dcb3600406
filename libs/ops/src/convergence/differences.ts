/**
 * What differs between finmesh's view of some records and a platform's view of the same records.
 * The one comparison that the demo's convergence report, and later the reconciliation, read.
 */
export type DifferenceKind =
  /** finmesh holds the record, the platform does not. */
  | 'missing'
  /** The platform holds a record finmesh does not know (only reported when asked for). */
  | 'unexpected'
  /** Both hold it, a compared field differs. */
  | 'mismatch';

export interface Difference {
  readonly platform: string;
  /** What kind of record: 'supplier', 'purchase-order', 'invoice', 'payment', … */
  readonly entity: string;
  /** The business key both sides share (PO number, invoice number, supplier number, …). */
  readonly key: string;
  readonly kind: DifferenceKind;
  readonly field?: string;
  readonly expected?: string | null;
  readonly actual?: string | null;
}

export type FieldValues = Readonly<Record<string, string | null>>;

export interface ComparedSet {
  readonly platform: string;
  readonly entity: string;
  /** finmesh's view: business key -> the compared fields, as text (decimals at a fixed scale). */
  readonly expected: ReadonlyMap<string, FieldValues>;
  /** The platform's view, read through its API, same keys and fields. */
  readonly actual: ReadonlyMap<string, FieldValues>;
  /** Report platform records finmesh does not hold (default false: platforms hold far more). */
  readonly reportUnexpected?: boolean;
}

/** Every difference of one set, in key order (stable output for reports and tests). */
export function compareSet(set: ComparedSet): Difference[] {
  const { platform, entity } = set;
  const differences: Difference[] = [];
  for (const key of [...set.expected.keys()].sort()) {
    const expected = set.expected.get(key)!;
    const actual = set.actual.get(key);
    if (!actual) {
      differences.push({ platform, entity, key, kind: 'missing' });
      continue;
    }
    for (const field of Object.keys(expected).sort()) {
      const want = expected[field] ?? null;
      const got = actual[field] ?? null;
      if (want !== got) differences.push({ platform, entity, key, kind: 'mismatch', field, expected: want, actual: got });
    }
  }
  if (set.reportUnexpected) {
    for (const key of [...set.actual.keys()].sort()) if (!set.expected.has(key)) differences.push({ platform, entity, key, kind: 'unexpected' });
  }
  return differences;
}

export interface PlatformConvergence {
  readonly converged: boolean;
  readonly differences: readonly Difference[];
}

/** One platform's verdict over several compared sets. */
export function convergenceOf(sets: readonly ComparedSet[]): PlatformConvergence {
  const differences = sets.flatMap(compareSet);
  return { converged: differences.length === 0, differences };
}
