import type { Admin, GroupDescription } from 'kafkajs';
import type { Pool } from 'pg';
import { appendAuditInOwnTransaction, OPS_AUDIT_SERVICE, type OperatorAuditOptions } from '@finmesh/messaging';

export type ResetTarget = 'earliest' | 'latest' | Date;

export interface ResetConsumerGroupOptions {
  readonly admin: Admin;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** earliest = rebuild from all history; latest = skip everything; a Date = from that record time on. */
  readonly to: ResetTarget;
  /**
   * Wait (up to forceWaitMs) for the group to become empty instead of refusing at once. See
   * resetConsumerGroup for why this is the only honest meaning of force with kafkajs.
   */
  readonly force?: boolean;
  /** How long force waits for the members to leave; default 45 s (kafkajs session timeout 30 s + margin). */
  readonly forceWaitMs?: number;
  /** Compute and return the plan, change nothing (and do not refuse a live group: report it). */
  readonly dryRun?: boolean;
  /**
   * Append an audit row (entity consumer_group) once the reset is applied and verified. Offsets
   * live in Kafka, so the row is written after the fact in its own transaction. Off by default.
   */
  readonly audit?: OperatorAuditOptions & { readonly pool: Pool; readonly actor: string };
}

export interface PartitionResetPlan {
  readonly topic: string;
  readonly partition: number;
  /** The group's committed offset before the reset; null when it never committed one. */
  readonly currentOffset: string | null;
  readonly targetOffset: string;
}

export interface ConsumerGroupResetPlan {
  readonly groupId: string;
  /** 'earliest', 'latest' or the ISO-8601 time. */
  readonly to: string;
  readonly dryRun: boolean;
  /** True when the committed offsets were changed (and verified). */
  readonly applied: boolean;
  /** Members in the group when the plan was made (a dry run reports them instead of refusing). */
  readonly liveMembers: number;
  readonly groupState: string;
  readonly partitions: readonly PartitionResetPlan[];
}

/** The group has live members: Kafka would not accept offsets for it, and they would overwrite them. */
export class ConsumerGroupActiveError extends Error {
  override readonly name = 'ConsumerGroupActiveError';
  constructor(
    readonly groupId: string,
    readonly memberCount: number,
    readonly state: string,
    waitedMs: number | null,
  ) {
    super(
      `consumer group ${groupId} has ${memberCount} live member(s) (state ${state})` +
        (waitedMs === null ? '' : ` after waiting ${waitedMs} ms for it to empty`) +
        '; stop its consumers first' +
        (waitedMs === null ? ', or pass force to wait for them to leave (e.g. crashed ones whose session has not expired yet)' : ''),
    );
  }
}

/** The broker's committed offsets after the reset differ from the plan (e.g. a consumer rejoined). */
export class ConsumerGroupResetVerificationError extends Error {
  override readonly name = 'ConsumerGroupResetVerificationError';
  constructor(
    readonly groupId: string,
    readonly mismatches: readonly string[],
  ) {
    super(`consumer group ${groupId}: committed offsets differ from the plan after the reset: ${mismatches.join('; ')}`);
  }
}

const DEFAULT_FORCE_WAIT_MS = 45_000;
const POLL_MS = 500;

/**
 * Moves a consumer group's committed offsets, for rebuilding a read model (earliest), skipping
 * a backlog (latest) or re-reading from a point in time (Date: per partition the first record
 * whose timestamp is at or after it, or the end of the partition when there is none).
 *
 * Refuses while the group has live members (state not Empty/Dead, or any member): the broker
 * refuses out-of-generation offset commits for a group with members (checked on Kafka 4.4: an
 * AdminClient alterConsumerGroupOffsets on a Stable group fails with UNKNOWN_MEMBER_ID), and even
 * if it did not, the running consumers would overwrite the new offsets with their positions.
 *
 * What `force` does, exactly: it waits, polling describeGroups every 500 ms for up to
 * forceWaitMs, for the group to become empty, then resets; if the group is still not empty it
 * throws ConsumerGroupActiveError. This covers the common case of consumers that were just
 * stopped or crashed and are still listed until their session times out. It does NOT evict
 * members, because nothing real supports that here:
 *  - kafkajs 2.2.4 has no admin call to remove group members (no LeaveGroup in its admin API);
 *  - KIP-345 "remove static members" applies only to members with a group.instance.id, and
 *    kafkajs consumers cannot set one, so finmesh groups never have static members;
 *  - evicting dynamic members is possible at the protocol level (KIP-571; on Kafka 4.4 the Java
 *    AdminClient removeMembersFromConsumerGroup empties a group of kafkajs members), but a
 *    consumer that is still running rejoins within seconds (checked: new member id, group Stable
 *    again), so a reset in that window would race a live consumer's own commits.
 * So a live consumer must be stopped; force never pretends otherwise.
 *
 * The offsets are written with kafkajs admin.setOffsets (which itself re-checks that the group
 * is empty) and then read back and compared with the plan.
 */
export async function resetConsumerGroup(options: ResetConsumerGroupOptions): Promise<ConsumerGroupResetPlan> {
  const { admin, groupId, topics, to } = options;
  const dryRun = options.dryRun ?? false;
  if (topics.length === 0) throw new Error(`resetting consumer group ${groupId}: no topics given`);
  if (to instanceof Date && Number.isNaN(to.getTime())) throw new Error(`resetting consumer group ${groupId}: invalid target time`);

  let group = await describeGroup(admin, groupId);
  if (isLive(group) && !dryRun) {
    if (!options.force) throw new ConsumerGroupActiveError(groupId, group.members.length, group.state, null);
    const waitMs = options.forceWaitMs ?? DEFAULT_FORCE_WAIT_MS;
    group = await waitUntilEmpty(admin, groupId, waitMs);
    if (isLive(group)) throw new ConsumerGroupActiveError(groupId, group.members.length, group.state, waitMs);
  }

  const partitions = await planPartitions(admin, groupId, topics, to);
  const plan: ConsumerGroupResetPlan = {
    groupId,
    to: to instanceof Date ? to.toISOString() : to,
    dryRun,
    applied: false,
    liveMembers: group.members.length,
    groupState: group.state,
    partitions,
  };
  if (dryRun) return plan;

  for (const topic of topics) {
    const entries = partitions.filter((p) => p.topic === topic).map((p) => ({ partition: p.partition, offset: p.targetOffset }));
    try {
      await admin.setOffsets({ groupId, topic, partitions: entries });
    } catch (e) {
      // A consumer joined between our check and the write: report it like the check would have.
      const now = await describeGroup(admin, groupId);
      if (isLive(now)) throw new ConsumerGroupActiveError(groupId, now.members.length, now.state, null);
      throw e;
    }
  }

  const committed = await committedOffsets(admin, groupId, topics);
  const mismatches = partitions
    .filter((p) => committed.get(`${p.topic}/${p.partition}`) !== p.targetOffset)
    .map((p) => `${p.topic}/${p.partition}: planned ${p.targetOffset}, committed ${committed.get(`${p.topic}/${p.partition}`) ?? 'none'}`);
  if (mismatches.length > 0) throw new ConsumerGroupResetVerificationError(groupId, mismatches);
  if (options.audit) {
    await appendAuditInOwnTransaction(
      options.audit.pool,
      {
        entityType: 'consumer_group',
        entityId: groupId,
        action: 'consumer_group.reset',
        actor: options.audit.actor,
        before: { offsets: partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.currentOffset })) },
        after: { to: plan.to, offsets: partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.targetOffset })) },
        causingEventId: null,
        service: options.audit.service ?? OPS_AUDIT_SERVICE,
      },
      options.audit,
    );
  }
  return { ...plan, applied: true };
}

function isLive(group: GroupDescription): boolean {
  return !(group.state === 'Empty' || group.state === 'Dead') || group.members.length > 0;
}

async function describeGroup(admin: Admin, groupId: string): Promise<GroupDescription> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups.find((g) => g.groupId === groupId);
  if (!group) throw new Error(`the broker did not describe consumer group ${groupId}`);
  return group;
}

async function waitUntilEmpty(admin: Admin, groupId: string, waitMs: number): Promise<GroupDescription> {
  const deadline = Date.now() + waitMs;
  let group = await describeGroup(admin, groupId);
  while (isLive(group) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
    group = await describeGroup(admin, groupId);
  }
  return group;
}

async function committedOffsets(admin: Admin, groupId: string, topics: readonly string[]): Promise<Map<string, string | null>> {
  const result = new Map<string, string | null>();
  for (const t of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
    // Kafka answers -1 for "no committed offset".
    for (const p of t.partitions) result.set(`${t.topic}/${p.partition}`, p.offset === '-1' ? null : p.offset);
  }
  return result;
}

async function planPartitions(admin: Admin, groupId: string, topics: readonly string[], to: ResetTarget): Promise<PartitionResetPlan[]> {
  const current = await committedOffsets(admin, groupId, topics);
  const plan: PartitionResetPlan[] = [];
  for (const topic of topics) {
    const targets =
      to instanceof Date
        ? await admin.fetchTopicOffsetsByTimestamp(topic, to.getTime())
        : (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: to === 'earliest' ? p.low : p.high }));
    for (const t of [...targets].sort((a, b) => a.partition - b.partition)) {
      plan.push({ topic, partition: t.partition, currentOffset: current.get(`${topic}/${t.partition}`) ?? null, targetOffset: t.offset });
    }
  }
  return plan;
}
