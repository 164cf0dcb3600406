import { EventCodec, localSchemaSource, type EventName } from '@finmesh/contracts';
import { env, eventually, testKafka } from './messaging-fixtures';
import { uniqueName } from './test-environment';
import type { Consumer } from 'kafkajs';

export interface RecordedEvent {
  readonly event: EventName;
  readonly key: string | null;
  readonly value: Record<string, unknown> & { envelope: { eventId: string; correlationId: string } };
  /** When this test process saw the record. */
  readonly seenAt: number;
}

/**
 * Reads a namespace topic from the beginning with its own consumer group and decodes every record
 * with the codec, the way any consumer of the contract would.
 */
export class TopicRecorder {
  readonly events: RecordedEvent[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(topic: string): Promise<TopicRecorder> {
    const codec = EventCodec.create(env.registryUrl, localSchemaSource());
    const consumer = testKafka().consumer({ groupId: uniqueName('recorder'), maxWaitTimeInMs: 100 });
    const recorder = new TopicRecorder(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = await codec.decode<RecordedEvent['value']>(message.value);
        recorder.events.push({ event: decoded.event, key: message.key?.toString() ?? null, value: decoded.value, seenAt: Date.now() });
      },
    });
    return recorder;
  }

  of(event: EventName, key?: string): RecordedEvent[] {
    return this.events.filter((e) => e.event === event && (key === undefined || e.key === key));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** A record's key and headers, as a dead-letter topic's reader needs them (the value stays the original bytes). */
export interface RecordHeaders {
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads a topic from the beginning until it holds `expected` records (or fails after
 * `timeoutMs`), returning keys and headers: what a test asserts about dead-lettered records.
 */
export async function readRecordHeaders(topic: string, expected: number, timeoutMs = 60_000): Promise<RecordHeaders[]> {
  const consumer = testKafka().consumer({ groupId: uniqueName('headers-reader'), maxWaitTimeInMs: 100 });
  const out: RecordHeaders[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = v.toString();
        out.push({ key: message.key?.toString() ?? null, headers });
      },
    });
    await eventually(`${expected} records on ${topic}`, async () => out.length >= expected, timeoutMs);
  } finally {
    await consumer.disconnect();
  }
  return out;
}
