import type { DeadLetterErrorClass } from '@finmesh/messaging';
import type { DeadLetterRecord } from './dead-letter-record';

/** A DLT position chosen by an operator, e.g. from `dlt list` output ("3:42"). */
export interface DeadLetterOffset {
  /** Needed only when several DLT topics are read at once; otherwise any topic matches. */
  readonly dltTopic?: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Which dead letters to read or replay. Every given criterion must match (AND); a list matches
 * when any of its entries does (OR). An empty filter matches everything.
 */
export interface DeadLetterFilter {
  readonly errorClasses?: readonly DeadLetterErrorClass[];
  readonly errorCodes?: readonly string[];
  readonly consumerGroups?: readonly string[];
  readonly originalTopics?: readonly string[];
  /** Inclusive lower bound on deadLetteredAt. */
  readonly deadLetteredFrom?: Date;
  /** Exclusive upper bound on deadLetteredAt, so consecutive windows never overlap. */
  readonly deadLetteredTo?: Date;
  /** Exact key bytes (a string is compared as UTF-8). */
  readonly key?: string | Buffer;
  readonly offsets?: readonly DeadLetterOffset[];
}

/** Parses "partition:offset" or "topic:partition:offset" (the CLI form of DeadLetterOffset). */
export function parseDeadLetterOffset(text: string): DeadLetterOffset {
  const match = /^(?:(.+):)?(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a DLT offset: expected partition:offset or topic:partition:offset`);
  const [, dltTopic, partition, offset] = match;
  return { ...(dltTopic ? { dltTopic } : {}), partition: Number(partition), offset: offset as string };
}

export function matchesDeadLetterFilter(record: DeadLetterRecord, filter: DeadLetterFilter = {}): boolean {
  if (filter.errorClasses && !filter.errorClasses.includes(record.errorClass)) return false;
  if (filter.errorCodes && !filter.errorCodes.includes(record.errorCode)) return false;
  if (filter.consumerGroups && !filter.consumerGroups.includes(record.consumerGroup)) return false;
  if (filter.originalTopics && !filter.originalTopics.includes(record.originalTopic)) return false;
  const at = record.deadLetteredAt.getTime();
  if (filter.deadLetteredFrom && at < filter.deadLetteredFrom.getTime()) return false;
  if (filter.deadLetteredTo && at >= filter.deadLetteredTo.getTime()) return false;
  if (filter.key !== undefined) {
    const wanted = Buffer.isBuffer(filter.key) ? filter.key : Buffer.from(filter.key, 'utf8');
    if (!record.key || !record.key.equals(wanted)) return false;
  }
  if (filter.offsets) {
    const listed = filter.offsets.some(
      (o) => (o.dltTopic === undefined || o.dltTopic === record.dltTopic) && o.partition === record.dltPartition && o.offset === record.dltOffset,
    );
    if (!listed) return false;
  }
  return true;
}
