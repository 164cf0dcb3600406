import type { IHeaders, KafkaMessage, Producer } from 'kafkajs';
import type { ClassifiedFailure } from '../consuming/error-classification';
import { DEAD_LETTER_HEADERS, type DeadLetterErrorClass } from './dead-letter-headers';

export interface DeadLetterContext {
  readonly deadLetterTopic: string;
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly consumerGroup: string;
  readonly failure: ClassifiedFailure;
  readonly errorClass: DeadLetterErrorClass;
  readonly attempts: number;
  readonly firstFailureAt: Date;
}

/** Header values are bounded: a multi-megabyte stack trace must not make the DLT record too large. */
const MAX_MESSAGE_LENGTH = 2000;

/**
 * Parks a record on its dead-letter topic: original key, value bytes and headers untouched, plus
 * why, where from and how often it failed. Resolves only after the broker acknowledged it, so the
 * source offset is committed only once the record is safe in the DLT.
 */
export async function publishDeadLetter(producer: Producer, ctx: DeadLetterContext): Promise<void> {
  const headers: IHeaders = {
    ...(ctx.message.headers ?? {}),
    [DEAD_LETTER_HEADERS.errorClass]: ctx.errorClass,
    [DEAD_LETTER_HEADERS.errorCode]: ctx.failure.code,
    [DEAD_LETTER_HEADERS.errorMessage]: ctx.failure.message.slice(0, MAX_MESSAGE_LENGTH),
    [DEAD_LETTER_HEADERS.originalTopic]: ctx.topic,
    [DEAD_LETTER_HEADERS.originalPartition]: String(ctx.partition),
    [DEAD_LETTER_HEADERS.originalOffset]: ctx.message.offset,
    [DEAD_LETTER_HEADERS.originalTimestamp]: ctx.message.timestamp,
    [DEAD_LETTER_HEADERS.consumerGroup]: ctx.consumerGroup,
    [DEAD_LETTER_HEADERS.firstFailureAt]: ctx.firstFailureAt.toISOString(),
    [DEAD_LETTER_HEADERS.deadLetteredAt]: new Date().toISOString(),
    [DEAD_LETTER_HEADERS.attempts]: String(ctx.attempts),
  };
  await producer.send({
    topic: ctx.deadLetterTopic,
    acks: -1,
    messages: [{ key: ctx.message.key, value: ctx.message.value, headers }],
  });
}
