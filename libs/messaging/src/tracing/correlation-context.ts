import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The correlation id of the flow being worked on (the envelope's correlationId while an event is
 * handled, the X-Correlation-Id header while a request is served), so every log line written on
 * the way can carry it without each call site passing it along.
 *
 * Its own AsyncLocalStorage rather than OpenTelemetry baggage: baggage is deliberately not
 * propagated (see tracing-setup), and this must work even when tracing is not initialised.
 */
const storage = new AsyncLocalStorage<{ readonly correlationId: string }>();

/** Runs `fn` with `correlationId` current (unchanged when it is empty or undefined). */
export function withCorrelationId<T>(correlationId: string | undefined, fn: () => T): T {
  return correlationId ? storage.run({ correlationId }, fn) : fn();
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
