import { createTopicsAndWait } from '@finmesh/contracts';
import { type IHeaders, Kafka, type KafkaMessage } from 'kafkajs';
import { Pool } from 'pg';
import { testEnvironment, uniqueName, testKafka } from '@finmesh/testing';
import { DEAD_LETTER_HEADERS, defaultDeadLetterTopic, verifyAuditChain } from '@finmesh/messaging';
import { readDeadLetters } from './dead-letter-reader';
import { type DeadLetterRecord, MalformedDeadLetterError } from './dead-letter-record';
import { replayDeadLetters } from './dead-letter-replay';
import { summarizeDeadLetters } from './dead-letter-summary';
import { ReplayLedger } from './replay-ledger';

/**
 * Dead letters written the way the reliable consumer writes them (original key, value bytes and
 * headers plus the DLT headers), with a raw producer, to a unique source topic's `.dlt` topic.
 */
interface Fixture {
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Record<string, Buffer>;
  readonly errorClass: 'PERMANENT' | 'TRANSIENT_EXHAUSTED';
  readonly errorCode: string;
  readonly group: string;
  readonly deadLetteredAt: string;
  readonly dltPartition: number;
  readonly originalPartition: number;
}

const env = testEnvironment();

function fixtures(): Fixture[] {
  const h = (eventId: string): Record<string, Buffer> => ({ 'finmesh-event-id': Buffer.from(eventId), 'x-binary': Buffer.from([0xff, 0x00, 0x80]) });
  return [
    { key: 'inv-1', value: Buffer.from([0, 0, 0, 0, 42, 1, 2, 3]), headers: h('e-0'), errorClass: 'PERMANENT', errorCode: 'UNKNOWN_SCHEMA_ID', group: 'invoice-sync', deadLetteredAt: '2025-01-01T10:00:00.000Z', dltPartition: 0, originalPartition: 0 },
    { key: 'inv-2', value: Buffer.from([0xde, 0xad, 0xbe, 0xef]), headers: h('e-1'), errorClass: 'TRANSIENT_EXHAUSTED', errorCode: 'DB_TIMEOUT', group: 'invoice-sync', deadLetteredAt: '2025-01-01T10:05:00.000Z', dltPartition: 0, originalPartition: 1 },
    { key: 'inv-3', value: Buffer.from('not avro at all'), headers: h('e-2'), errorClass: 'PERMANENT', errorCode: 'MALFORMED_WIRE_FORMAT', group: 'reporting', deadLetteredAt: '2025-01-01T10:10:00.000Z', dltPartition: 1, originalPartition: 2 },
    { key: null, value: Buffer.from([0]), headers: h('e-3'), errorClass: 'PERMANENT', errorCode: 'BUSINESS_RULE', group: 'invoice-sync', deadLetteredAt: '2025-01-01T10:15:00.000Z', dltPartition: 1, originalPartition: 1 },
    { key: 'inv-1', value: Buffer.from([1, 2, 3, 4, 5]), headers: h('e-4'), errorClass: 'TRANSIENT_EXHAUSTED', errorCode: 'ERP_UNAVAILABLE', group: 'reporting', deadLetteredAt: '2025-01-01T10:20:00.000Z', dltPartition: 1, originalPartition: 0 },
  ];
}

function dltMessage(f: Fixture, sourceTopic: string, originalOffset: number): { key: string | null; value: Buffer; partition: number; headers: IHeaders } {
  return {
    key: f.key,
    value: f.value,
    partition: f.dltPartition,
    headers: {
      ...f.headers,
      [DEAD_LETTER_HEADERS.errorClass]: f.errorClass,
      [DEAD_LETTER_HEADERS.errorCode]: f.errorCode,
      [DEAD_LETTER_HEADERS.errorMessage]: `failed with ${f.errorCode}`,
      [DEAD_LETTER_HEADERS.originalTopic]: sourceTopic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(f.originalPartition),
      [DEAD_LETTER_HEADERS.originalOffset]: String(originalOffset),
      [DEAD_LETTER_HEADERS.originalTimestamp]: '1735725600000',
      [DEAD_LETTER_HEADERS.consumerGroup]: f.group,
      [DEAD_LETTER_HEADERS.firstFailureAt]: '2025-01-01T09:59:00.000Z',
      [DEAD_LETTER_HEADERS.deadLetteredAt]: f.deadLetteredAt,
      [DEAD_LETTER_HEADERS.attempts]: f.errorClass === 'PERMANENT' ? '1' : '8',
    },
  };
}

/** Every record of a topic, read back with a throwaway consumer group. */
async function readTopic(kafka: Kafka, topic: string, expected: number): Promise<Array<KafkaMessage & { partition: number }>> {
  const consumer = kafka.consumer({ groupId: uniqueName('replay-check') });
  const seen: Array<KafkaMessage & { partition: number }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${expected} records on ${topic}`)), 30_000);
    void consumer.run({
      eachMessage: async ({ message, partition }) => {
        seen.push({ ...message, partition });
        if (seen.length >= expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

async function highWatermarks(kafka: Kafka, topic: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((p) => p.high);
  } finally {
    await admin.disconnect();
  }
}

describe('dead-letter reading and replay on the real broker and PostgreSQL', () => {
  const kafka = testKafka(uniqueName('replay-test'));
  const admin = kafka.admin();
  const pool = new Pool({ connectionString: env.databaseUrl, max: 4 });
  const sourceTopic = uniqueName('replay-src');
  const dltTopic = defaultDeadLetterTopic(sourceTopic);
  const emptyDlt = `${uniqueName('replay-empty')}.dlt`;
  const ledgerSchema = uniqueName('replay_ops').replace(/-/g, '_');
  const ledger = new ReplayLedger(pool, ledgerSchema);
  const auditSchema = uniqueName('replay_audit').replace(/-/g, '_');
  const data = fixtures();

  beforeAll(async () => {
    await admin.connect();
    await createTopicsAndWait(admin, [
        { topic: sourceTopic, numPartitions: 3 },
        { topic: dltTopic, numPartitions: 2 },
        { topic: emptyDlt, numPartitions: 2 },
      ]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // One send per record, in order, so DLT offsets are predictable: p0 gets 0,1; p1 gets 0,1,2.
    for (const [i, f] of data.entries()) await producer.send({ topic: dltTopic, acks: -1, messages: [dltMessage(f, sourceTopic, 100 + i)] });
    await producer.disconnect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [sourceTopic, dltTopic, emptyDlt] }).catch(() => undefined);
    await admin.disconnect();
    await pool.query(`DROP SCHEMA IF EXISTS "${ledgerSchema}" CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS "${auditSchema}" CASCADE`);
    await pool.end();
  });

  it('reads every dead letter in DLT order, typed, with exact bytes and the original headers apart', async () => {
    const records = await readDeadLetters({ kafka, dltTopics: [dltTopic] });
    expect(records.map((r) => `${r.dltPartition}:${r.dltOffset}`)).toEqual(['0:0', '0:1', '1:0', '1:1', '1:2']);
    const byEventId = (r: DeadLetterRecord) => (r.originalHeaders['finmesh-event-id'] as Buffer).toString();
    expect(records.map(byEventId)).toEqual(['e-0', 'e-1', 'e-2', 'e-3', 'e-4']);
    for (const [i, r] of records.entries()) {
      const f = data[i]!;
      expect(r.key).toEqual(f.key === null ? null : Buffer.from(f.key));
      expect(r.value).toEqual(f.value);
      expect(r.originalHeaders).toEqual(f.headers);
      expect(r).toMatchObject({ dltTopic, errorClass: f.errorClass, errorCode: f.errorCode, consumerGroup: f.group, originalTopic: sourceTopic, originalPartition: f.originalPartition, originalOffset: String(100 + i) });
      expect(r.deadLetteredAt.toISOString()).toBe(f.deadLetteredAt);
    }
  });

  it('filters by error class, time range, key and explicit offsets', async () => {
    const read = async (filter: Parameters<typeof readDeadLetters>[0]['filter']) =>
      (await readDeadLetters({ kafka, dltTopics: [dltTopic], filter })).map((r) => (r.originalHeaders['finmesh-event-id'] as Buffer).toString());
    expect(await read({ errorClasses: ['TRANSIENT_EXHAUSTED'] })).toEqual(['e-1', 'e-4']);
    expect(await read({ deadLetteredFrom: new Date('2025-01-01T10:05:00Z'), deadLetteredTo: new Date('2025-01-01T10:15:00Z') })).toEqual(['e-1', 'e-2']);
    expect(await read({ key: 'inv-1' })).toEqual(['e-0', 'e-4']);
    expect(await read({ offsets: [{ partition: 1, offset: '1' }, { partition: 0, offset: '0' }] })).toEqual(['e-0', 'e-3']);
    expect(await read({ consumerGroups: ['reporting'], errorClasses: ['PERMANENT'] })).toEqual(['e-2']);
  });

  it('terminates at once on an empty DLT topic', async () => {
    const started = Date.now();
    expect(await readDeadLetters({ kafka, dltTopics: [emptyDlt] })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('summarizes counts per DLT topic, consumer group and error class', async () => {
    const now = new Date('2025-01-01T11:00:00Z');
    const rows = summarizeDeadLetters(await readDeadLetters({ kafka, dltTopics: [dltTopic, emptyDlt] }), now);
    expect(rows.map((r) => [r.consumerGroup, r.errorClass, r.count, r.oldestAgeMs / 60_000, r.newestAgeMs / 60_000])).toEqual([
      ['invoice-sync', 'PERMANENT', 2, 60, 45],
      ['invoice-sync', 'TRANSIENT_EXHAUSTED', 1, 55, 55],
      ['reporting', 'PERMANENT', 1, 50, 50],
      ['reporting', 'TRANSIENT_EXHAUSTED', 1, 40, 40],
    ]);
    expect(rows.every((r) => r.dltTopic === dltTopic)).toBe(true);
  });

  it('dry run lists what would move and moves nothing', async () => {
    const before = await highWatermarks(kafka, sourceTopic);
    const result = await replayDeadLetters({ kafka, pool, dltTopics: dltTopic, filter: { errorClasses: ['PERMANENT'] }, dryRun: true, actor: 'test', ledgerSchema });
    expect(result.dryRun).toBe(true);
    expect(result.replayed).toBe(0);
    expect(result.planned.map((p) => [p.dltPartition, p.dltOffset, p.key, p.errorCode])).toEqual([
      [0, '0', 'inv-1', 'UNKNOWN_SCHEMA_ID'],
      [1, '0', 'inv-3', 'MALFORMED_WIRE_FORMAT'],
      [1, '1', null, 'BUSINESS_RULE'],
    ]);
    expect(await highWatermarks(kafka, sourceTopic)).toEqual(before);
    expect(before).toEqual(['0', '0', '0']);
    expect(await ledger.list()).toEqual([]);
  });

  it('re-publishes exact key, value bytes and original headers plus replayed-from, then records the ledger', async () => {
    const result = await replayDeadLetters({
      kafka, pool, dltTopics: [dltTopic], filter: { errorClasses: ['PERMANENT'] }, dryRun: false, actor: 'alice', ledgerSchema, audit: { schema: auditSchema },
    });
    expect(result).toMatchObject({ dryRun: false, replayed: 3, skippedAlreadyReplayed: 0 });
    expect(result.planned).toHaveLength(3);

    const onSource = await readTopic(kafka, sourceTopic, 3);
    expect(onSource).toHaveLength(3);
    const permanent = [data[0]!, data[2]!, data[3]!];
    const positions = ['0/0', '1/0', '1/1'];
    for (const [i, f] of permanent.entries()) {
      const m = onSource.find((r) => r.headers?.['finmesh-event-id']?.toString() === f.headers['finmesh-event-id']!.toString());
      expect(m).toBeDefined();
      expect(m!.key).toEqual(f.key === null ? null : Buffer.from(f.key));
      expect(m!.value).toEqual(f.value);
      // Same partition as the original record: it stays in order with its aggregate.
      expect(m!.partition).toBe(f.originalPartition);
      expect(m!.headers).toEqual({ ...f.headers, [DEAD_LETTER_HEADERS.replayedFrom]: Buffer.from(`${dltTopic}/${positions[i]}`) });
    }

    const rows = await ledger.list();
    expect(rows.map((r) => [r.dltPartition, r.dltOffset, r.originalTopic, r.actor, r.replayId, r.replayCount])).toEqual([
      [0, '0', sourceTopic, 'alice', result.replayId, 1],
      [1, '0', sourceTopic, 'alice', result.replayId, 1],
      [1, '1', sourceTopic, 'alice', result.replayId, 1],
    ]);
    // The ledger's target positions are where the records really landed.
    for (const row of rows) {
      const landed = onSource.find((m) => m.headers?.[DEAD_LETTER_HEADERS.replayedFrom]?.toString() === `${dltTopic}/${row.dltPartition}/${row.dltOffset}`);
      expect([landed?.partition, landed?.offset]).toEqual([row.targetPartition, row.targetOffset]);
    }

    // Each replayed dead letter is in the audit trail, with the operator and the event it carried.
    const audit = await pool.query<{ entity_type: string; entity_id: string; action: string; actor: string; causing_event_id: string; after: Record<string, unknown> }>(
      `SELECT entity_type, entity_id, action, actor, causing_event_id, after FROM "${auditSchema}".audit_log ORDER BY audit_log.id`,
    );
    expect(audit.rows.map((r) => [r.entity_type, r.entity_id, r.action, r.actor])).toEqual(
      positions.map((p) => ['dead_letter', `${dltTopic}/${p}`, 'dead_letter.replayed', 'alice']),
    );
    expect(audit.rows.map((r) => r.causing_event_id)).toEqual(permanent.map((f) => f.headers['finmesh-event-id']!.toString()));
    expect(audit.rows[0]!.after).toMatchObject({ replayId: result.replayId, topic: sourceTopic, partition: rows[0]!.targetPartition, offset: rows[0]!.targetOffset });
    expect(await verifyAuditChain(pool, { schema: auditSchema })).toMatchObject({ ok: true, rowsChecked: 3 });
  });

  it('skips already-replayed dead letters on a re-run, and replays them again only when asked', async () => {
    const second = await replayDeadLetters({ kafka, pool, dltTopics: [dltTopic], dryRun: false, actor: 'bob', ledgerSchema });
    expect(second).toMatchObject({ replayed: 2, skippedAlreadyReplayed: 3 });
    expect(second.planned.map((p) => `${p.dltPartition}:${p.dltOffset}`)).toEqual(['0:1', '1:2']);
    expect(await highWatermarks(kafka, sourceTopic)).toEqual(['2', '2', '1']);

    const third = await replayDeadLetters({ kafka, pool, dltTopics: [dltTopic], dryRun: false, actor: 'bob', ledgerSchema });
    expect(third).toMatchObject({ replayed: 0, skippedAlreadyReplayed: 5, planned: [] });
    expect(await highWatermarks(kafka, sourceTopic)).toEqual(['2', '2', '1']);

    const again = await replayDeadLetters({
      kafka,
      pool,
      dltTopics: [dltTopic],
      filter: { offsets: [{ partition: 0, offset: '0' }] },
      includeAlreadyReplayed: true,
      dryRun: false,
      actor: 'carol',
      ledgerSchema,
    });
    expect(again).toMatchObject({ replayed: 1, skippedAlreadyReplayed: 0 });
    expect(again.planned[0]?.alreadyReplayed).toBe(true);
    expect(await highWatermarks(kafka, sourceTopic)).toEqual(['3', '2', '1']);
    const row = (await ledger.list()).find((r) => r.dltPartition === 0 && r.dltOffset === '0');
    expect(row).toMatchObject({ actor: 'carol', replayId: again.replayId, replayCount: 2, targetPartition: 0, targetOffset: '2' });
  });

  it('refuses a second replay of the same DLT while one holds the lock', async () => {
    await ledger.withReplayLock([dltTopic], async () => {
      await expect(replayDeadLetters({ kafka, pool, dltTopics: [dltTopic], dryRun: false, actor: 'dave', ledgerSchema })).rejects.toThrow(
        `another replay of ${dltTopic} is running`,
      );
    });
  });

  it('fails a read naming the record and header when a DLT record lacks a required header', async () => {
    const badDlt = `${uniqueName('replay-bad')}.dlt`;
    await createTopicsAndWait(admin, [{ topic: badDlt, numPartitions: 1 }]);
    try {
      const producer = kafka.producer();
      await producer.connect();
      const good = dltMessage(data[0]!, sourceTopic, 1);
      const { [DEAD_LETTER_HEADERS.consumerGroup]: _dropped, ...withoutGroup } = good.headers;
      await producer.send({ topic: badDlt, acks: -1, messages: [{ ...good, partition: 0 }, { ...good, partition: 0, headers: withoutGroup }] });
      await producer.disconnect();
      const read = readDeadLetters({ kafka, dltTopics: [badDlt] });
      await expect(read).rejects.toBeInstanceOf(MalformedDeadLetterError);
      await expect(read).rejects.toThrow(`dead-letter record ${badDlt}/0/1: header ${DEAD_LETTER_HEADERS.consumerGroup} is missing`);
    } finally {
      await admin.deleteTopics({ topics: [badDlt] }).catch(() => undefined);
    }
  });
});
