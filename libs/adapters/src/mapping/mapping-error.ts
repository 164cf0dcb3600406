import { schemaProblems } from '@finmesh/contracts';
import type { z } from 'zod/v4';
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

/**
 * Collects problems while a payload is read; `throwIfAny` ends the mapping when there were some.
 * Seeded with the payload's problems against its payload schema (`forPayload`: the schema its
 * HTTP endpoint declares, so a polled record is held to the same shape, lengths and formats as a
 * pushed one), it reports them with the mapper's own in one list; where both name one path, the
 * mapper's reason is kept (it knows more, such as the figures a sum was checked against).
 */
export class ProblemCollector {
  private readonly list: MappingProblem[] = [];
  private readonly shape: readonly MappingProblem[];

  constructor(shapeProblems: readonly MappingProblem[] = []) {
    this.shape = shapeProblems.map((p) => ({ path: p.path === '$' ? '(root)' : p.path, reason: p.reason }));
  }

  /** A collector seeded with the payload's problems against its payload schema. */
  static forPayload(schema: z.ZodType, payload: unknown): ProblemCollector {
    return new ProblemCollector(schemaProblems(schema, payload));
  }

  add(path: string, reason: string): void {
    this.list.push({ path: path === '' ? '(root)' : path, reason });
  }

  get problems(): readonly MappingProblem[] {
    const reported = new Set(this.list.map((p) => p.path));
    return [...this.list, ...this.shape.filter((p) => !reported.has(p.path))];
  }

  get hasProblems(): boolean {
    return this.list.length > 0 || this.shape.length > 0;
  }

  throwIfAny(subject: string): void {
    if (this.hasProblems) throw new MappingError(subject, this.problems);
  }
}
