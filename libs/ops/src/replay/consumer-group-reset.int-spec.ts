import { createTopicsAndWait } from '@finmesh/contracts';
import type { Consumer } from 'kafkajs';
import { Pool } from 'pg';
import { testEnvironment, uniqueName, testKafka } from '@finmesh/testing';
import { verifyAuditChain } from '@finmesh/messaging';
import { ConsumerGroupActiveError, resetConsumerGroup } from './consumer-group-reset';

const env = testEnvironment();
const PARTITIONS = 2;
const PER_PARTITION = 10;

describe('consumer group reset on the real broker', () => {
  const kafka = testKafka(uniqueName('reset-test'));
  const admin = kafka.admin();
  const topic = uniqueName('reset-src');
  const groupId = uniqueName('reset-group');
  const pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  const auditSchema = uniqueName('reset_audit').replace(/-/g, '_');
  // Record i of each partition has timestamp base + i seconds, so "base + 5 s" is offset 5.
  const base = Date.now() - 10 * 60_000;

  async function committed(): Promise<Array<string>> {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return t!.partitions.sort((a, b) => a.partition - b.partition).map((p) => p.offset);
  }

  /** A real member of the group that has joined and committed everything it read. */
  async function startMember(expected: number): Promise<Consumer> {
    const consumer = kafka.consumer({ groupId });
    let read = 0;
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    const consumedAll = new Promise<void>((resolve) => {
      void consumer.connect().then(async () => {
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachMessage: async () => {
            read += 1;
            if (read >= expected) resolve();
          },
        });
        if (expected === 0) resolve();
      });
    });
    await joined;
    await consumedAll;
    return consumer;
  }

  async function waitForGroupToSettle(): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const { groups } = await admin.describeGroups([groupId]);
      if (groups[0]?.state === 'Stable' && groups[0].members.length === 1) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`group ${groupId} did not become Stable with one member`);
  }

  beforeAll(async () => {
    await admin.connect();
    await createTopicsAndWait(admin, [{ topic, numPartitions: PARTITIONS }]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: PER_PARTITION }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition, timestamp: String(base + i * 1000) })),
      });
    }
    await producer.disconnect();
  });

  afterAll(async () => {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await pool.query(`DROP SCHEMA IF EXISTS "${auditSchema}" CASCADE`);
    await pool.end();
  });

  it('refuses while a live member is in the group, naming the group and its member count', async () => {
    const member = await startMember(PARTITIONS * PER_PARTITION);
    try {
      await waitForGroupToSettle();
      // The member commits what it read (auto-commit); wait for it so "current" is known.
      for (let i = 0; i < 40 && (await committed()).some((o) => o !== String(PER_PARTITION)); i++) await new Promise((r) => setTimeout(r, 250));
      expect(await committed()).toEqual(['10', '10']);

      const attempt = resetConsumerGroup({ admin, groupId, topics: [topic], to: 'earliest' });
      await expect(attempt).rejects.toBeInstanceOf(ConsumerGroupActiveError);
      await expect(attempt).rejects.toThrow(`consumer group ${groupId} has 1 live member(s) (state Stable); stop its consumers first, or pass force`);

      // A dry run shows the plan and the live member instead of refusing; nothing changes.
      const dry = await resetConsumerGroup({ admin, groupId, topics: [topic], to: 'earliest', dryRun: true });
      expect(dry).toMatchObject({ applied: false, dryRun: true, liveMembers: 1, groupState: 'Stable' });
      expect(dry.partitions).toEqual([
        { topic, partition: 0, currentOffset: '10', targetOffset: '0' },
        { topic, partition: 1, currentOffset: '10', targetOffset: '0' },
      ]);

      // force only waits for the group to empty; a member that keeps running is still refused.
      const started = Date.now();
      await expect(resetConsumerGroup({ admin, groupId, topics: [topic], to: 'earliest', force: true, forceWaitMs: 1500 })).rejects.toThrow(
        `consumer group ${groupId} has 1 live member(s) (state Stable) after waiting 1500 ms for it to empty; stop its consumers first`,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(await committed()).toEqual(['10', '10']);
    } finally {
      await member.disconnect();
    }
  });

  it('resets to earliest once the member has left, and the committed offsets equal the plan', async () => {
    const plan = await resetConsumerGroup({ admin, groupId, topics: [topic], to: 'earliest', audit: { pool, actor: 'carol', schema: auditSchema } });
    expect(plan).toMatchObject({ applied: true, liveMembers: 0 });
    const audit = await pool.query<{ entity_type: string; entity_id: string; action: string; actor: string; before: unknown; after: unknown }>(
      `SELECT entity_type, entity_id, action, actor, before, after FROM "${auditSchema}".audit_log`,
    );
    expect(audit.rows).toEqual([
      {
        entity_type: 'consumer_group', entity_id: groupId, action: 'consumer_group.reset', actor: 'carol',
        before: { offsets: [{ topic, partition: 0, offset: '10' }, { topic, partition: 1, offset: '10' }] },
        after: { to: 'earliest', offsets: [{ topic, partition: 0, offset: '0' }, { topic, partition: 1, offset: '0' }] },
      },
    ]);
    expect((await verifyAuditChain(pool, { schema: auditSchema })).ok).toBe(true);
    expect(plan.partitions.map((p) => [p.partition, p.currentOffset, p.targetOffset])).toEqual([
      [0, '10', '0'],
      [1, '10', '0'],
    ]);
    expect(await committed()).toEqual(['0', '0']);
  });

  it('resets to a time in the middle of the records: the first record at or after it', async () => {
    const plan = await resetConsumerGroup({ admin, groupId, topics: [topic], to: new Date(base + 5000) });
    expect(plan.partitions.map((p) => [p.currentOffset, p.targetOffset])).toEqual([
      ['0', '5'],
      ['0', '5'],
    ]);
    expect(await committed()).toEqual(['5', '5']);
    // Between two record times (offset 4 is at +4 s, offset 5 at +5 s): the later record. Dry run: plan only.
    const between = await resetConsumerGroup({ admin, groupId, topics: [topic], to: new Date(base + 4500), dryRun: true });
    expect(between.partitions.map((p) => p.targetOffset)).toEqual(['5', '5']);
    // After every record: the end of each partition.
    const after = await resetConsumerGroup({ admin, groupId, topics: [topic], to: new Date(base + 60 * 60_000), dryRun: true });
    expect(after.partitions.map((p) => p.targetOffset)).toEqual(['10', '10']);
  });

  it('resets to latest', async () => {
    const plan = await resetConsumerGroup({ admin, groupId, topics: [topic], to: 'latest' });
    expect(plan.partitions.map((p) => [p.currentOffset, p.targetOffset])).toEqual([
      ['5', '10'],
      ['5', '10'],
    ]);
    expect(await committed()).toEqual(['10', '10']);
  });

  it('with force, waits for a member that is stopping and then resets', async () => {
    const member = await startMember(0);
    await waitForGroupToSettle();
    const reset = resetConsumerGroup({ admin, groupId, topics: [topic], to: 'earliest', force: true, forceWaitMs: 30_000 });
    await new Promise((r) => setTimeout(r, 1000));
    await member.disconnect();
    const plan = await reset;
    expect(plan.applied).toBe(true);
    expect(await committed()).toEqual(['0', '0']);
  });
});
