import * as path from 'node:path';
import { localSchemaSource } from '../provisioning/contracts';
import type { JsonObject } from '../schema/avro-json';
import { generatedFileInSync, writeGeneratedFile } from '../schema/generated-types';
import type { SchemaCatalog } from '../schema/schema-catalog';
import { ALL_TOPICS, INGRESS_TOPICS, PARTITIONER, recordFullName, SYSTEM_OF_RECORD, type EventName, type IngressTopicSpec, type TopicSpec } from '../topics/topic-catalog';

/**
 * The topic catalog as an AsyncAPI 3.0 document (`docs/asyncapi.json`): every canonical and ingress
 * topic with its key, partitions, partitioner, retention and writer; every event with its Avro
 * schema (the registered, self-contained one) and its business rules in JSON Schema keywords. It
 * is generated from the catalog and the contracts (`npm run schemas:types` writes it,
 * `npm run schemas:check` fails when it is stale), so it never drifts from what runs.
 */
export const DEFAULT_ASYNCAPI_FILE = path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'asyncapi.json');

const AVRO_FORMAT = 'application/vnd.apache.avro+json;version=1.9.0';
const KAFKA_BINDING = '0.5.0';

function channelId(topic: TopicSpec | IngressTopicSpec): string {
  return 'platform' in topic ? `ingress-${topic.platform}-${topic.aggregate}` : topic.aggregate;
}

function channel(topic: TopicSpec | IngressTopicSpec): JsonObject {
  const retention = topic.retentionMs < 0 ? 'kept forever (read models are rebuilt from it)' : `kept ${Math.round(topic.retentionMs / 86_400_000)} days (a hand-over; the canonical topic keeps the history)`;
  const who =
    'platform' in topic
      ? `Ingress: written by the ${topic.platform} platform only, consumed by ${topic.consumer}, which validates each record and publishes the canonical event.`
      : `Canonical: written by ${SYSTEM_OF_RECORD[topic.aggregate].writer} alone (system of record: ${SYSTEM_OF_RECORD[topic.aggregate].owner}).`;
  return {
    address: topic.name,
    description: `${who} Key: ${topic.key}; partitioner ${PARTITIONER} (librdkafka: partitioner=murmur2_random); ${retention}.`,
    messages: Object.fromEntries(topic.events.map((e) => [e, { $ref: `#/components/messages/${e}` }])),
    bindings: { kafka: { topic: topic.name, partitions: topic.partitions, topicConfiguration: { 'retention.ms': topic.retentionMs }, bindingVersion: KAFKA_BINDING } },
  };
}

function message(event: EventName, catalog: SchemaCatalog, key: string): JsonObject {
  const latest = catalog.latest(event);
  const rules = catalog.businessRules.declaredFor(event);
  return {
    name: event,
    title: `${recordFullName(event)} v${latest.version}`,
    contentType: 'application/vnd.apache.avro+binary',
    payload: { schemaFormat: AVRO_FORMAT, schema: latest.schema },
    bindings: {
      kafka: {
        key: { type: 'string', description: key },
        schemaIdLocation: 'payload',
        schemaIdPayloadEncoding: 'confluent',
        schemaLookupStrategy: 'TopicRecordNameStrategy',
        bindingVersion: KAFKA_BINDING,
      },
    },
    'x-finmesh-business-rules': rules.map((d) => ({ record: d.record, field: d.field, ...d.rule })),
  };
}

/** The AsyncAPI document of the catalog and the contracts. */
export function asyncApiDocument(catalog: SchemaCatalog = localSchemaSource()): JsonObject {
  const topics: Array<TopicSpec | IngressTopicSpec> = [...ALL_TOPICS, ...INGRESS_TOPICS];
  const keyOf = new Map<EventName, string>(ALL_TOPICS.flatMap((t) => t.events.map((e) => [e, t.key] as const)));
  const events = [...new Set(topics.flatMap((t) => t.events))];
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'finmesh events',
      version: '1',
      description:
        'Canonical topics (one per aggregate, one writer each) and ingress topics (one per producing platform and aggregate). Values are Avro in the Confluent wire format; subjects follow TopicRecordNameStrategy (<topic>-<record full name>). Records that break a business rule are dead-lettered to <topic>.dlt as BUSINESS_RULE_VIOLATION.',
    },
    defaultContentType: 'application/vnd.apache.avro+binary',
    channels: Object.fromEntries(topics.map((t) => [channelId(t), channel(t)])),
    operations: Object.fromEntries(
      topics.map((t) => [
        'platform' in t ? `receive-${channelId(t)}` : `send-${channelId(t)}`,
        {
          action: 'platform' in t ? 'receive' : 'send',
          channel: { $ref: `#/channels/${channelId(t)}` },
          summary: 'platform' in t ? `${t.consumer} consumes what the ${t.platform} platform produces` : `${SYSTEM_OF_RECORD[t.aggregate].writer} publishes through its outbox`,
        },
      ]),
    ),
    components: { messages: Object.fromEntries(events.map((e) => [e, message(e, catalog, keyOf.get(e) ?? 'aggregate id')])) },
  };
}

function render(catalog?: SchemaCatalog): string {
  return `${JSON.stringify(asyncApiDocument(catalog), null, 2)}\n`;
}

/** Writes `docs/asyncapi.json`; returns whether it changed. */
export function writeAsyncApi(file = DEFAULT_ASYNCAPI_FILE): { file: string; changed: boolean } {
  return writeGeneratedFile(file, render());
}

/** Whether `docs/asyncapi.json` is what the catalog and the contracts give now. */
export function asyncApiInSync(file = DEFAULT_ASYNCAPI_FILE): { inSync: boolean; diff?: string } {
  return generatedFileInSync(file, render());
}
