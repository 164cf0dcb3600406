/** One thing wrong with the contracts, tied to the file it was found in. */
export interface SchemaProblem {
  /** Path of the offending file, relative to the repository root when possible (`schemas/...`). */
  readonly file: string;
  readonly message: string;
}

export function formatProblem(problem: SchemaProblem): string {
  return `${problem.file}: ${problem.message}`;
}

/**
 * The contracts in `schemas/` are unusable. Carries every problem found, not just the first,
 * so that one `npm run schemas:check` run shows everything a pull request has to fix.
 */
export class SchemaContractError extends Error {
  readonly problems: readonly SchemaProblem[];

  constructor(problems: readonly SchemaProblem[]) {
    super(
      `${problems.length} problem(s) in the Avro contracts:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`,
    );
    this.name = 'SchemaContractError';
    this.problems = problems;
  }
}
