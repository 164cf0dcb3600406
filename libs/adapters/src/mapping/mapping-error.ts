/**
 * The one error a mapper throws: every field of the platform payload that could not be mapped,
 * each with its path in the SOURCE payload (`order-lines[2].price`), so whoever fixes the data in
 * the platform finds the field without reading finmesh code. Mappers collect all problems first
 * and throw once: fixing a payload field by field, one failed sync at a time, is what this avoids.
 */
export interface MappingProblem {
  /** Path in the source payload: dot-separated keys, `[i]` for array elements; '(root)' for the whole payload. */
  readonly path: string;
  readonly reason: string;
}

export class MappingError extends Error {
  override readonly name = 'MappingError';

  constructor(
    /** What was being mapped, e.g. 'Coupa purchase order PO-4711'. */
    readonly subject: string,
    readonly problems: readonly MappingProblem[],
  ) {
    super(`${subject} cannot be mapped: ${problems.map((p) => `${p.path}: ${p.reason}`).join('; ')}`);
  }
}

/** Collects problems while a payload is read; `throwIfAny` ends the mapping when there were some. */
export class ProblemCollector {
  private readonly list: MappingProblem[] = [];

  add(path: string, reason: string): void {
    this.list.push({ path: path === '' ? '(root)' : path, reason });
  }

  get problems(): readonly MappingProblem[] {
    return this.list;
  }

  get hasProblems(): boolean {
    return this.list.length > 0;
  }

  throwIfAny(subject: string): void {
    if (this.list.length > 0) throw new MappingError(subject, [...this.list]);
  }
}
