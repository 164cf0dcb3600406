/**
 * Projections run against two stores: the in-memory store of a rebuild, which answers at once,
 * and the SQL store of the live consumer, which answers with promises. Written with these helpers,
 * a projection stays synchronous against the first (no promise and no microtask per row over
 * millions of events) and chains properly against the second.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `f(value)`, now if `value` is already there, else once it resolves. */
export function whenReady<T, R>(value: MaybePromise<T>, f: (ready: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/** Runs the steps one after another, each started only after the previous one finished. */
export function inSequence(steps: Iterable<() => MaybePromise<void>>): MaybePromise<void> {
  return continueSequence(steps[Symbol.iterator]());
}

function continueSequence(steps: Iterator<() => MaybePromise<void>>): MaybePromise<void> {
  for (let step = steps.next(); !step.done; step = steps.next()) {
    const result = step.value();
    if (result instanceof Promise) return result.then(() => continueSequence(steps));
  }
  return undefined;
}
