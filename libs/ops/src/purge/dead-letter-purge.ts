import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { PurgeLedger } from './purge-ledger';

export interface PurgeDeadLettersOptions {
  readonly admin: Admin;
  readonly pool: Pool;
  readonly dltTopics: readonly string[];
  /** Who asked for the purge, kept in the ledger. */
  readonly actor: string;
  /** Compute the plan, delete nothing, write nothing. */
  readonly dryRun: boolean;
  /** PostgreSQL schema of the purge ledger; default finmesh_ops (next to the replay ledger). */
  readonly ledgerSchema?: string;
  /**
   * Delete no further than this earlier plan (a dry run shown to the operator): records that
   * arrived after they confirmed are kept for them to see.
   */
  readonly limitTo?: readonly PartitionPurge[];
}

export interface PartitionPurge {
  readonly dltTopic: string;
  readonly dltPartition: number;
  readonly fromOffset: string;
  readonly toOffset: string;
  readonly records: string;
}

export interface PurgeResult {
  readonly purgeId: string;
  readonly dryRun: boolean;
  /** Only partitions that hold records; in a dry run, what would be deleted. */
  readonly partitions: readonly PartitionPurge[];
  readonly records: string;
}

/**
 * Deletes every record of the given DLT topics that exists when the purge starts.
 *
 * Kafka can only delete a prefix of a partition (DeleteRecords moves the low watermark), so a
 * purge cannot pick single dead letters: it empties each partition up to the high watermark read
 * at the start. Records dead-lettered after that point survive, so an operator never deletes a
 * record they could not have seen in the `dlt list` that made them decide.
 *
 * One ledger row per partition is written after the broker confirmed the deletion; the records
 * themselves are gone, so the ledger is the trace of what was removed and by whom.
 */
export async function purgeDeadLetters(options: PurgeDeadLettersOptions): Promise<PurgeResult> {
  const { admin, dltTopics } = options;
  const purgeId = randomUUID();
  const partitions: PartitionPurge[] = [];
  for (const dltTopic of [...dltTopics].sort()) {
    for (const p of (await admin.fetchTopicOffsets(dltTopic)).sort((a, b) => a.partition - b.partition)) {
      const limit = options.limitTo ? options.limitTo.find((l) => l.dltTopic === dltTopic && l.dltPartition === p.partition)?.toOffset ?? p.low : p.high;
      const toOffset = BigInt(limit) < BigInt(p.high) ? limit : p.high;
      const count = BigInt(toOffset) - BigInt(p.low);
      if (count > 0n) partitions.push({ dltTopic, dltPartition: p.partition, fromOffset: p.low, toOffset, records: count.toString() });
    }
  }
  const records = partitions.reduce((sum, p) => sum + BigInt(p.records), 0n).toString();
  if (options.dryRun || partitions.length === 0) return { purgeId, dryRun: options.dryRun, partitions, records };

  const ledger = new PurgeLedger(options.pool, options.ledgerSchema);
  await ledger.ensureTable();
  for (const dltTopic of new Set(partitions.map((p) => p.dltTopic))) {
    const own = partitions.filter((p) => p.dltTopic === dltTopic);
    await admin.deleteTopicRecords({ topic: dltTopic, partitions: own.map((p) => ({ partition: p.dltPartition, offset: p.toOffset })) });
    for (const p of own) await ledger.record({ purgeId, dltTopic, dltPartition: p.dltPartition, fromOffset: p.fromOffset, toOffset: p.toOffset, actor: options.actor });
  }
  return { purgeId, dryRun: false, partitions, records };
}
