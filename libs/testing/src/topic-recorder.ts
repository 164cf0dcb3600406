import { EventCodec, localSchemaSource, type EventName } from '@finmesh/contracts';
import { env, testKafka } from './messaging-fixtures';
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
