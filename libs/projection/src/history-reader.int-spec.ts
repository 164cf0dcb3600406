import { randomUUID } from 'node:crypto';
import { createTestTopic, eventually, invoiceReceived, testCodec, testKafka } from '@finmesh/testing';
import { endOffsetsOf, HistoryReader } from './history-reader';
import type { ProjectedEvent } from './read-model-projection';

/** The rebuild's history reader against the real broker and registry. */
describe('HistoryReader on the real Kafka', () => {
  const kafka = testKafka();
  const codec = testCodec();

  it('finishes a partition whose last records are a transaction marker (transactional producers)', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const topic = await createTestTopic(admin, ['InvoiceReceived'], 1);
    await admin.disconnect();
    const producer = kafka.producer({ transactionalId: `history-reader-test-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const ids = ['INV-T-1', 'INV-T-2', 'INV-T-3'];
    const transaction = await producer.transaction();
    for (const id of ids) await transaction.send({ topic, messages: [{ key: id, value: (await codec.encode('InvoiceReceived', invoiceReceived(id), topic)).bytes }] });
    await transaction.commit();
    await producer.disconnect();

    // The commit marker takes an offset, so the end offset is one past the last record. The
    // coordinator writes the marker after commit() returns, so wait until it is there.
    let offsets = await endOffsetsOf(kafka, [topic]);
    await eventually('the commit marker is written', async () => {
      offsets = await endOffsetsOf(kafka, [topic]);
      return offsets.targets.get(`${topic}:0`) === BigInt(ids.length + 1);
    }, 15_000);
    const { targets, starts } = offsets;

    const seen: ProjectedEvent[] = [];
    const reader = new HistoryReader(kafka, codec, [topic], `history-reader-test-${randomUUID()}`);
    let timer: NodeJS.Timeout | undefined;
    try {
      await reader.start((e) => void seen.push(e));
      await Promise.race([
        reader.readUntil(targets, starts),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the reader never reached the end offset')), 20_000))),
      ]);
    } finally {
      clearTimeout(timer);
      await reader.close();
    }
    expect(seen.map((e) => (e.value as { invoiceId: string }).invoiceId)).toEqual(ids);
    expect(reader.eventsRead).toBe(ids.length);
  }, 60_000);

  it('fails, naming the partitions behind, when reading makes no progress', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const topic = await createTestTopic(admin, ['InvoiceReceived'], 1);
    await admin.disconnect();
    const reader = new HistoryReader(kafka, codec, [topic], `history-reader-test-${randomUUID()}`);
    try {
      await reader.start(() => undefined);
      // A target the topic never reaches (as if records went missing): the reader must give up.
      const unreachable = new Map([[`${topic}:0`, 5n]]);
      const failure = await reader.readUntil(unreachable, new Map([[`${topic}:0`, 0n]]), 1500).then(
        () => 'reached',
        (err: Error) => err.message,
      );
      expect(failure).toBe(`rebuild reader made no progress for 2 s; behind: ${topic}:0 at 0 of 5`);
    } finally {
      await reader.close();
    }
  }, 60_000);
});
