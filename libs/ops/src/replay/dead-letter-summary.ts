import type { DeadLetterErrorClass } from '@finmesh/messaging';
import type { DeadLetterRecord } from './dead-letter-record';

/** One line of `dlt list`: how many dead letters of one kind wait, and for how long. */
export interface DeadLetterSummaryRow {
  readonly dltTopic: string;
  readonly consumerGroup: string;
  readonly errorClass: DeadLetterErrorClass;
  readonly count: number;
  readonly oldestDeadLetteredAt: Date;
  readonly newestDeadLetteredAt: Date;
  /** now - oldestDeadLetteredAt: how long the oldest one has been waiting for attention. */
  readonly oldestAgeMs: number;
  readonly newestAgeMs: number;
}

/**
 * Counts dead letters per (DLT topic, consumer group, error class), sorted by those three.
 * `now` is a parameter so ages are reproducible in tests and consistent across rows.
 */
export function summarizeDeadLetters(records: readonly DeadLetterRecord[], now: Date = new Date()): DeadLetterSummaryRow[] {
  const groups = new Map<string, { dltTopic: string; consumerGroup: string; errorClass: DeadLetterErrorClass; count: number; oldest: number; newest: number }>();
  for (const r of records) {
    // JSON of the tuple: no separator character can collide with topic or group names.
    const id = JSON.stringify([r.dltTopic, r.consumerGroup, r.errorClass]);
    const at = r.deadLetteredAt.getTime();
    const g = groups.get(id);
    if (g) {
      g.count += 1;
      g.oldest = Math.min(g.oldest, at);
      g.newest = Math.max(g.newest, at);
    } else {
      groups.set(id, { dltTopic: r.dltTopic, consumerGroup: r.consumerGroup, errorClass: r.errorClass, count: 1, oldest: at, newest: at });
    }
  }
  return [...groups.values()]
    .sort((a, b) => a.dltTopic.localeCompare(b.dltTopic) || a.consumerGroup.localeCompare(b.consumerGroup) || a.errorClass.localeCompare(b.errorClass))
    .map((g) => ({
      dltTopic: g.dltTopic,
      consumerGroup: g.consumerGroup,
      errorClass: g.errorClass,
      count: g.count,
      oldestDeadLetteredAt: new Date(g.oldest),
      newestDeadLetteredAt: new Date(g.newest),
      oldestAgeMs: now.getTime() - g.oldest,
      newestAgeMs: now.getTime() - g.newest,
    }));
}
