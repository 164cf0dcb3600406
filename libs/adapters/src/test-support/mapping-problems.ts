import { MappingError, type MappingProblem } from '../mapping/mapping-error';

/** Test helper: the problems a mapper reports; fails the test if it maps without a MappingError. */
export function problemsOf(fn: () => unknown): readonly MappingProblem[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof MappingError) return e.problems;
    throw e;
  }
  throw new Error('expected a MappingError');
}
