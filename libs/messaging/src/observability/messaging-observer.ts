/**
 * What the messaging runtime reports about its work, for metrics. The runtime calls these hooks;
 * service-kit implements them with prom-client, so this library stays free of any metrics client.
 *
 * Every hook is optional and must be cheap and synchronous: they run on the consuming and
 * publishing paths. Labels derived from these values must stay low-cardinality (topics, event
 * types, outcomes), never event ids or business keys.
 */
export type ConsumeOutcome = 'applied' | 'duplicate' | 'dead_lettered';

export interface ConsumedEventObservation {
  readonly topic: string;
  /** The finmesh event type, or `unknown` when the record could not be decoded. */
  readonly event: string;
  readonly outcome: ConsumeOutcome;
  readonly count: number;
}

export interface HandlerObservation {
  readonly topic: string;
  readonly event: string;
  /** Wall time of the handler call (a batch handler call counts once for its whole segment). */
  readonly seconds: number;
  readonly failed: boolean;
}

export interface RetryObservation {
  readonly topic: string;
  readonly event: string;
  /** The classified failure code (e.g. `ERP_UNAVAILABLE`), a bounded set. */
  readonly code: string;
}

/** An event id that came back with other content than was applied under it (dead-lettered). */
export interface EventIdConflictObservation {
  readonly topic: string;
  readonly event: string;
}

export interface DeadLetterObservation {
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly event: string;
  readonly errorClass: string;
}

export interface ProducedEventObservation {
  readonly topic: string;
  readonly event: string;
  readonly count: number;
}

export interface MessagingObserver {
  /** Records whose transaction committed (applied or skipped as duplicates), or that were dead-lettered. */
  eventsConsumed?(observation: ConsumedEventObservation): void;
  handlerFinished?(observation: HandlerObservation): void;
  retryScheduled?(observation: RetryObservation): void;
  deadLettered?(observation: DeadLetterObservation): void;
  eventIdConflict?(observation: EventIdConflictObservation): void;
  /** Events the outbox relay published and the broker acknowledged. */
  eventsProduced?(observation: ProducedEventObservation): void;
}

/**
 * Calls `report` with the observer, if any. Metrics must never break messaging: a throwing
 * observer is logged and otherwise ignored (these calls sit after commits, where an exception
 * would be taken for a failed transaction).
 */
export function notifyObserver(
  observer: MessagingObserver | undefined,
  logger: { warn(obj: object, msg: string): void },
  report: (observer: MessagingObserver) => void,
): void {
  if (!observer) return;
  try {
    report(observer);
  } catch (err) {
    logger.warn({ err }, 'messaging metrics observer failed');
  }
}

/** The `event` label of a record whose type is not known (undecodable, no finmesh header). */
export const UNKNOWN_EVENT_TYPE = 'unknown';

/** Counts `items` per key; used to report one observation per (topic, event) instead of per record. */
export function countBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
