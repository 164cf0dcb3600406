import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import {
  DEAD_LETTER_HEADERS,
  type DeadLetterErrorClass,
  EVENT_HEADERS,
  inAuditedTransaction,
  type OperatorAuditOptions,
  OPS_AUDIT_SERVICE,
} from '@finmesh/messaging';
import type { DeadLetterFilter } from './dead-letter-filter';
import { readDeadLetters } from './dead-letter-reader';
import { type DeadLetterRecord, formatDeadLetterPosition } from './dead-letter-record';
import { ReplayLedger } from './replay-ledger';
import type { AuditEntryInput } from '@finmesh/messaging';

export interface ReplayDeadLettersOptions {
  readonly kafka: Kafka;
  readonly pool: Pool;
  readonly dltTopics: string | readonly string[];
  readonly filter?: DeadLetterFilter;
  /** List what would move, move nothing, write nothing. */
  readonly dryRun: boolean;
  /** Who asked for the replay (user or tool), kept in the ledger. */
  readonly actor: string;
  /** Replay dead letters the ledger says were replayed before (deliberate second attempt). */
  readonly includeAlreadyReplayed?: boolean;
  /** PostgreSQL schema of the replay ledger; default finmesh_ops. */
  readonly ledgerSchema?: string;
  readonly readTimeoutMs?: number;
  /**
   * Also append one audit row per replayed dead letter (entity dead_letter, actor = `actor`), in
   * the same transaction as its ledger row. Off by default.
   */
  readonly audit?: OperatorAuditOptions;
}

/** What an operator sees of one planned dead letter (no payload bytes: they may hold personal data). */
export interface PlannedReplay {
  readonly dltTopic: string;
  readonly dltPartition: number;
  readonly dltOffset: string;
  readonly originalTopic: string;
  readonly originalPartition: number;
  readonly originalOffset: string;
  /** The key as UTF-8 text (finmesh keys are business ids), null for a null key. */
  readonly key: string | null;
  readonly errorClass: DeadLetterErrorClass;
  readonly errorCode: string;
  readonly consumerGroup: string;
  readonly deadLetteredAt: Date;
  /** True when the ledger shows an earlier replay (only planned with includeAlreadyReplayed). */
  readonly alreadyReplayed: boolean;
}

export interface ReplayResult {
  readonly replayId: string;
  readonly dryRun: boolean;
  /** The dead letters this run re-publishes (or, in a dry run, would), in DLT order. */
  readonly planned: readonly PlannedReplay[];
  readonly replayed: number;
  readonly skippedAlreadyReplayed: number;
}

/** A replay stopped part-way; the records before `failedAt` were re-published and recorded. */
export class ReplayInterruptedError extends Error {
  override readonly name = 'ReplayInterruptedError';
  constructor(
    readonly replayId: string,
    readonly replayed: number,
    readonly failedAt: string,
    override readonly cause: unknown,
  ) {
    super(`replay ${replayId} stopped at ${failedAt} after ${replayed} record(s): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Re-publishes dead letters to their original topics.
 *
 * Each record goes back with its original key, value bytes and headers (so the consumer sees the
 * very event that failed, same event id, same schema id), to its original partition (so it stays
 * with the other events of its aggregate even if the first producer used a different
 * partitioner), plus `finmesh-replayed-from: <dlt topic>/<partition>/<offset>` for tracing.
 *
 * Delivery: one record at a time, in DLT order, through an idempotent producer with acks=all;
 * the ledger row is written only after the broker acknowledged the record. A crash therefore
 * loses no replay and can only repeat the one record that was acked but not yet recorded (or,
 * if the process died while sending, the unacknowledged one): the next run replays it again,
 * and the consumer's inbox drops the duplicate by its event id. Recording before publishing
 * would be worse: a crash in between would mark as replayed a record that never reached Kafka.
 *
 * Concurrent replays of the same DLT are refused (ReplayInProgressError, PostgreSQL advisory lock).
 */
export async function replayDeadLetters(options: ReplayDeadLettersOptions): Promise<ReplayResult> {
  const dltTopics = typeof options.dltTopics === 'string' ? [options.dltTopics] : [...options.dltTopics];
  const ledger = new ReplayLedger(options.pool, options.ledgerSchema);
  const replayId = randomUUID();

  const plan = async (): Promise<{ toReplay: DeadLetterRecord[]; planned: PlannedReplay[]; skipped: number }> => {
    const records = await readDeadLetters({ kafka: options.kafka, dltTopics, filter: options.filter, timeoutMs: options.readTimeoutMs });
    const seen = await ledger.alreadyReplayed(records);
    const toReplay: DeadLetterRecord[] = [];
    const planned: PlannedReplay[] = [];
    let skipped = 0;
    for (const r of records) {
      const alreadyReplayed = seen.has(formatDeadLetterPosition(r));
      if (alreadyReplayed && !options.includeAlreadyReplayed) {
        skipped += 1;
        continue;
      }
      toReplay.push(r);
      planned.push({ ...deadLetterSummary(r), alreadyReplayed });
    }
    return { toReplay, planned, skipped };
  };

  if (options.dryRun) {
    const { planned, skipped } = await plan();
    return { replayId, dryRun: true, planned, replayed: 0, skippedAlreadyReplayed: skipped };
  }

  await ledger.ensureTable();
  // Plan inside the lock: another replay finishing between our ledger check and our publish
  // would otherwise make us publish the same dead letters a second time.
  return ledger.withReplayLock(dltTopics, async () => {
    const { toReplay, planned, skipped } = await plan();
    if (toReplay.length === 0) return { replayId, dryRun: false, planned, replayed: 0, skippedAlreadyReplayed: skipped };

    const producer = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    let replayed = 0;
    try {
      for (const record of toReplay) {
        try {
          const acked = await republish(producer, record);
          const entry = { ...record, replayId, actor: options.actor, targetPartition: acked.partition, targetOffset: acked.offset };
          if (options.audit) {
            const audit = options.audit;
            await inAuditedTransaction(options.pool, audit, async (tx) => {
              await ledger.record(entry, tx);
              return { result: undefined, audit: [replayAuditEntry(record, entry, options.actor, audit.service ?? OPS_AUDIT_SERVICE)] };
            });
          } else {
            await ledger.record(entry);
          }
        } catch (e) {
          throw new ReplayInterruptedError(replayId, replayed, formatDeadLetterPosition(record), e);
        }
        replayed += 1;
      }
    } finally {
      await producer.disconnect();
    }
    return { replayId, dryRun: false, planned, replayed, skippedAlreadyReplayed: skipped };
  });
}

async function republish(producer: Producer, record: DeadLetterRecord): Promise<{ partition: number; offset: string }> {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(record.originalHeaders)) headers[name] = Array.isArray(value) ? [...value] : (value as Buffer);
  headers[DEAD_LETTER_HEADERS.replayedFrom] = formatDeadLetterPosition(record);
  // No timestamp: the broker/producer stamps the replay time. Re-using the original timestamp
  // would put the record "in the past" and confuse time-based offset lookups (group resets).
  const [meta] = await producer.send({
    topic: record.originalTopic,
    acks: -1,
    messages: [{ key: record.key, value: record.value, headers, partition: record.originalPartition }],
  });
  if (!meta?.baseOffset) throw new Error(`the broker acknowledged ${record.originalTopic} without an offset`);
  return { partition: meta.partition, offset: meta.baseOffset };
}

/** The audit row of one replayed dead letter; no payload or key bytes (they may hold personal data). */
function replayAuditEntry(
  r: DeadLetterRecord,
  replayed: { replayId: string; targetPartition: number; targetOffset: string },
  actor: string,
  service: string,
): AuditEntryInput {
  const eventId = r.originalHeaders[EVENT_HEADERS.eventId];
  return {
    entityType: 'dead_letter',
    entityId: formatDeadLetterPosition(r),
    action: 'dead_letter.replayed',
    actor,
    before: { dltTopic: r.dltTopic, dltPartition: r.dltPartition, dltOffset: r.dltOffset, errorClass: r.errorClass, errorCode: r.errorCode, consumerGroup: r.consumerGroup },
    after: { replayId: replayed.replayId, topic: r.originalTopic, partition: replayed.targetPartition, offset: replayed.targetOffset },
    causingEventId: Buffer.isBuffer(eventId) ? eventId.toString('utf8') : null,
    service,
  };
}

/** A dead letter's position, origin and error, without its payload (what plans and listings show). */
export function deadLetterSummary(r: DeadLetterRecord): Omit<PlannedReplay, 'alreadyReplayed'> {
  return {
    dltTopic: r.dltTopic,
    dltPartition: r.dltPartition,
    dltOffset: r.dltOffset,
    originalTopic: r.originalTopic,
    originalPartition: r.originalPartition,
    originalOffset: r.originalOffset,
    key: r.key === null ? null : r.key.toString('utf8'),
    errorClass: r.errorClass,
    errorCode: r.errorCode,
    consumerGroup: r.consumerGroup,
    deadLetteredAt: r.deadLetteredAt,
  };
}
