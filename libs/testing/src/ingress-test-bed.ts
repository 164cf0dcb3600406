import type { Producer } from 'kafkajs';
import { EventCodec, ingressTopicFor, localSchemaSource, topicNameFor, type EventName, type IngressPlatform } from '@finmesh/contracts';
import { publishEvent } from '@finmesh/messaging';
import type { ServiceDefinition } from '@finmesh/service-kit';
import { createTestSchema, dropTestSchema, env, provisionTestNamespace, testKafka } from './messaging-fixtures';
import { startServiceUnderTest } from './service-under-test';
import { TopicRecorder } from './topic-recorder';

/** A service consuming a platform's ingress topics, with a producer for them and a recorder of its canonical topic. */
export interface IngressTestBed {
  readonly url: string;
  /** The canonical topic the service writes (records every event on it). */
  readonly canonical: TopicRecorder;
  readonly producer: Producer;
  readonly codec: EventCodec;
  /** The platform's ingress topic for `event`, in this bed's namespace. */
  ingressTopic(event: EventName): string;
  /** Produces `value` to its ingress topic as a platform would (its envelope's event id as the header). */
  produce(event: EventName, value: { envelope: { eventId: string } }, key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots `definition` isolated (its namespace and db schema) and connects what an ingress test
 * needs: a producer writing as `platform`, and a recorder of the canonical topic that carries
 * `canonicalEvent`.
 */
export async function openIngressTestBed(definition: ServiceDefinition, o: { platform: IngressPlatform; canonicalEvent: EventName; jwtSecret: string }): Promise<IngressTestBed> {
  const ns = await provisionTestNamespace();
  const schema = await createTestSchema();
  const { app, url } = await startServiceUnderTest(definition, { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: o.jwtSecret });
  const canonical = await TopicRecorder.start(topicNameFor(o.canonicalEvent, ns.prefix));
  const producer = testKafka().producer();
  await producer.connect();
  const codec = EventCodec.create(env.registryUrl, localSchemaSource());
  const ingressTopic = (event: EventName): string => {
    const topic = ingressTopicFor(o.platform, event, ns.prefix);
    if (!topic) throw new Error(`${o.platform} has no ingress topic for ${event}`);
    return topic;
  };
  return {
    url,
    canonical,
    producer,
    codec,
    ingressTopic,
    async produce(event, value, key) {
      await publishEvent(producer, codec, { event, key, value, eventId: value.envelope.eventId, topic: ingressTopic(event) });
    },
    async close() {
      await producer.disconnect();
      await canonical.stop();
      await app.close();
      await ns.cleanup();
      await dropTestSchema(schema);
    },
  };
}
