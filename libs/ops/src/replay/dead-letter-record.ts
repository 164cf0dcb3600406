import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DEAD_LETTER_HEADERS, type DeadLetterErrorClass } from '@finmesh/messaging';

/** Header values as Kafka carries them: bytes. A header key sent twice arrives as an array. */
export type RawHeaderValue = Buffer | readonly Buffer[];
export type RawHeaders = Readonly<Record<string, RawHeaderValue>>;

/**
 * One dead-lettered record, typed. The key, value and original headers are the exact bytes the
 * original producer sent, so a replay can re-publish them untouched (a consumer's inbox dedupes
 * on the event id inside them; re-encoding would risk changing the schema id or the bytes).
 */
export interface DeadLetterRecord {
  readonly dltTopic: string;
  readonly dltPartition: number;
  /** Offsets stay strings: Kafka offsets are int64 and kafkajs hands them over as strings. */
  readonly dltOffset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The original record's headers, without any finmesh-dlt-* header nor finmesh-replayed-from. */
  readonly originalHeaders: RawHeaders;
  readonly errorClass: DeadLetterErrorClass;
  readonly errorCode: string;
  /** May be empty: the message is for humans, the code is what tools match on. */
  readonly errorMessage: string;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  /** Original record timestamp, ms since epoch, as Kafka gave it to the failing consumer. */
  readonly originalTimestamp: string;
  readonly consumerGroup: string;
  readonly firstFailureAt: Date;
  readonly deadLetteredAt: Date;
  readonly attempts: number;
  /**
   * Set when the dead-lettered record was itself a replay that failed again: the DLT position it
   * was replayed from. Kept apart from originalHeaders because a new replay writes its own.
   */
  readonly previouslyReplayedFrom: string | null;
}

/** Where a record sits in a DLT; `dltTopic/partition/offset` is also the replayed-from header format. */
export interface DeadLetterPosition {
  readonly dltTopic: string;
  readonly dltPartition: number;
  readonly dltOffset: string;
}

export function formatDeadLetterPosition(p: DeadLetterPosition): string {
  return `${p.dltTopic}/${p.dltPartition}/${p.dltOffset}`;
}

/** A DLT record that cannot be understood as a dead letter: names the record and the header. */
export class MalformedDeadLetterError extends Error {
  override readonly name = 'MalformedDeadLetterError';
  constructor(
    readonly position: DeadLetterPosition,
    readonly header: string,
    readonly problem: string,
  ) {
    super(`dead-letter record ${formatDeadLetterPosition(position)}: header ${header} ${problem}`);
  }
}

const ERROR_CLASSES: readonly DeadLetterErrorClass[] = ['PERMANENT', 'TRANSIENT_EXHAUSTED'];
const DEAD_LETTER_HEADER_NAMES: ReadonlySet<string> = new Set(Object.values(DEAD_LETTER_HEADERS));
const INTEGER = /^(0|[1-9][0-9]*)$/;

function toBuffer(v: Buffer | string): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8');
}

/**
 * Parses a record read from a dead-letter topic. Throws MalformedDeadLetterError when a required
 * DLT header is missing or unreadable: silently defaulting would make a replay send the record to
 * the wrong topic or make filters lie.
 */
export function parseDeadLetterRecord(dltTopic: string, dltPartition: number, message: KafkaMessage): DeadLetterRecord {
  const position: DeadLetterPosition = { dltTopic, dltPartition, dltOffset: message.offset };
  const headers: IHeaders = message.headers ?? {};

  const text = (header: string, options: { optional?: boolean } = {}): string => {
    const raw = headers[header];
    if (raw === undefined || raw === null) {
      if (options.optional) return '';
      throw new MalformedDeadLetterError(position, header, 'is missing');
    }
    // A header repeated by a buggy writer: refuse rather than guess which one is right.
    if (Array.isArray(raw)) throw new MalformedDeadLetterError(position, header, `appears ${raw.length} times`);
    const value = toBuffer(raw as Buffer | string).toString('utf8');
    if (value === '' && !options.optional) throw new MalformedDeadLetterError(position, header, 'is empty');
    return value;
  };
  const integer = (header: string): string => {
    const value = text(header);
    if (!INTEGER.test(value)) throw new MalformedDeadLetterError(position, header, `is not a non-negative integer: "${value}"`);
    return value;
  };
  const date = (header: string): Date => {
    const value = text(header);
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) throw new MalformedDeadLetterError(position, header, `is not an ISO-8601 time: "${value}"`);
    return parsed;
  };

  const errorClass = text(DEAD_LETTER_HEADERS.errorClass);
  if (!(ERROR_CLASSES as readonly string[]).includes(errorClass)) {
    throw new MalformedDeadLetterError(position, DEAD_LETTER_HEADERS.errorClass, `is "${errorClass}", expected one of ${ERROR_CLASSES.join(', ')}`);
  }
  const replayedFrom = text(DEAD_LETTER_HEADERS.replayedFrom, { optional: true });

  const originalHeaders: Record<string, RawHeaderValue> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (DEAD_LETTER_HEADER_NAMES.has(name) || value === undefined) continue;
    originalHeaders[name] = Array.isArray(value) ? value.map((v: Buffer | string) => toBuffer(v)) : toBuffer(value as Buffer | string);
  }

  return {
    ...position,
    key: message.key ?? null,
    value: message.value ?? null,
    originalHeaders,
    errorClass: errorClass as DeadLetterErrorClass,
    errorCode: text(DEAD_LETTER_HEADERS.errorCode),
    errorMessage: text(DEAD_LETTER_HEADERS.errorMessage, { optional: true }),
    originalTopic: text(DEAD_LETTER_HEADERS.originalTopic),
    originalPartition: Number(integer(DEAD_LETTER_HEADERS.originalPartition)),
    originalOffset: integer(DEAD_LETTER_HEADERS.originalOffset),
    originalTimestamp: integer(DEAD_LETTER_HEADERS.originalTimestamp),
    consumerGroup: text(DEAD_LETTER_HEADERS.consumerGroup),
    firstFailureAt: date(DEAD_LETTER_HEADERS.firstFailureAt),
    deadLetteredAt: date(DEAD_LETTER_HEADERS.deadLetteredAt),
    attempts: Number(integer(DEAD_LETTER_HEADERS.attempts)),
    previouslyReplayedFrom: replayedFrom === '' ? null : replayedFrom,
  };
}
