import type { Kafka, Message } from 'kafkajs';
import { topicNameFor, type EventCodec } from '@finmesh/contracts';
import type { HistoryEvent } from './source-to-pay-history';

/** One encoded record, ready to produce (or to produce again, as a duplicate). */
export interface HistoryRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
}

/** Encodes events for a topic namespace through the real registry (validated, wire format). */
export async function encodeHistory(codec: EventCodec, events: Iterable<HistoryEvent>, topicPrefix = ''): Promise<HistoryRecord[]> {
  const records: HistoryRecord[] = [];
  for (const e of events) {
    const topic = topicNameFor(e.event, topicPrefix);
    records.push({ topic, key: e.key, value: (await codec.encode(e.event, e.value, topic)).bytes });
  }
  return records;
}

/** Produces records in the given order (per partition, Kafka keeps it), in batches. */
export async function produceHistory(kafka: Kafka, records: readonly HistoryRecord[], batchSize = 2000): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += batchSize) {
      const byTopic = new Map<string, Message[]>();
      for (const r of records.slice(i, i + batchSize)) {
        const messages = byTopic.get(r.topic) ?? [];
        messages.push({ key: r.key, value: r.value });
        byTopic.set(r.topic, messages);
      }
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** A seeded shuffle (Fisher–Yates), for out-of-order deliveries that a failing test can reproduce. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let a = seed >>> 0;
  const random = () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
