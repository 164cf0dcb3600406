import { type DeadLetterErrorClass } from '@finmesh/messaging';
import { parseDeadLetterOffset, type DeadLetterFilter, type DeadLetterOffset } from '@finmesh/ops';
import { UsageError } from './cli-errors';

const ERROR_CLASSES: readonly DeadLetterErrorClass[] = ['PERMANENT', 'TRANSIENT_EXHAUSTED'];

/** An ISO-8601 time with a date and a time zone ("2025-01-31T18:00:00Z", "2025-01-31T18:00+01:00") or a bare date (UTC midnight). */
export function parseTime(text: string, flag: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
  const date = iso.test(text.trim()) ? new Date(text.trim()) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`${flag} "${text}" is not a time: use ISO-8601 with a zone, e.g. 2025-01-31T18:00:00Z, or a date, e.g. 2025-01-31`);
  }
  return date;
}

/** `replay --from`: earliest, latest, or a time. */
export function parseResetTarget(text: string): 'earliest' | 'latest' | Date {
  const t = text.trim().toLowerCase();
  if (t === 'earliest' || t === 'latest') return t;
  return parseTime(text, '--from');
}

export function parseErrorClass(text: string): DeadLetterErrorClass {
  const upper = text.trim().toUpperCase().replace(/-/g, '_') as DeadLetterErrorClass;
  if (!ERROR_CLASSES.includes(upper)) throw new UsageError(`--error-class "${text}" is not an error class: use ${ERROR_CLASSES.join(' or ')}`);
  return upper;
}

export function parseOffset(text: string): DeadLetterOffset {
  try {
    return parseDeadLetterOffset(text);
  } catch (e) {
    throw new UsageError(`--offset ${(e as Error).message} (as shown by dlt list --records)`);
  }
}

export function parsePositiveInt(text: string, flag: string): number {
  if (!/^[1-9][0-9]*$/.test(text.trim())) throw new UsageError(`${flag} "${text}" must be a whole number greater than 0`);
  return Number(text);
}

/** Options shared by `dlt list` and `dlt replay` (and `dlt show` for the topic). */
export interface DeadLetterFilterFlags {
  readonly errorClass?: string[];
  readonly errorCode?: string[];
  readonly group?: string[];
  readonly sourceTopic?: string[];
  readonly since?: string;
  readonly until?: string;
  readonly key?: string;
  readonly offset?: string[];
}

/** Turns the filter flags into a DeadLetterFilter; every value is validated (exit 2 on a bad one). */
export function deadLetterFilterFrom(flags: DeadLetterFilterFlags): DeadLetterFilter {
  const since = flags.since === undefined ? undefined : parseTime(flags.since, '--since');
  const until = flags.until === undefined ? undefined : parseTime(flags.until, '--until');
  if (since && until && since.getTime() >= until.getTime()) throw new UsageError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`);
  return {
    ...(flags.errorClass?.length ? { errorClasses: flags.errorClass.map(parseErrorClass) } : {}),
    ...(flags.errorCode?.length ? { errorCodes: flags.errorCode } : {}),
    ...(flags.group?.length ? { consumerGroups: flags.group } : {}),
    ...(flags.sourceTopic?.length ? { originalTopics: flags.sourceTopic } : {}),
    ...(since ? { deadLetteredFrom: since } : {}),
    ...(until ? { deadLetteredTo: until } : {}),
    ...(flags.key !== undefined ? { key: flags.key } : {}),
    ...(flags.offset?.length ? { offsets: flags.offset.map(parseOffset) } : {}),
  };
}

/** Commander collector for repeatable options (`--error-class A --error-class B`, or `A,B`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter((v) => v.length > 0)];
}
