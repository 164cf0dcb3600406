import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { sampleValue, testEnvironment, uniqueName, testKafka } from '@finmesh/testing';
import { localSchemaSource } from '../provisioning/contracts';
import { RegistryAdmin } from '../registry/registry-admin';
import { EVENT_NAMES, subjectFor, topicForEvent, type EventName } from '../topics/topic-catalog';
import { createTopicsAndWait } from '../topics/topic-provisioning';
import {
  MalformedWireFormatError,
  SchemaValidationError,
  TrailingBytesError,
  TruncatedPayloadError,
  UnknownSchemaIdError,
  RegistryUnavailableError,
} from './codec-errors';
import { CONTENT_DIGEST_SCHEME, EventCodec } from './event-codec';
import { avroTypeFor } from './logical-types';
import { frame } from './wire-format';
import { publishEvent } from '@finmesh/messaging';

/**
 * The codec against the real Apicurio registry, with the contracts registered by the test
 * setup (global-setup runs the same provisioning as `npm start`).
 */
describe('EventCodec against the real schema registry', () => {
  const env = testEnvironment();
  const codec = EventCodec.create(env.registryUrl, localSchemaSource());
  const sample = (event: EventName): Record<string, unknown> =>
    sampleValue(localSchemaSource().latestSchema(event), 'logical') as Record<string, unknown>;

  it.each(EVENT_NAMES)('round-trips %s through the registry in the Confluent wire format', async (event) => {
    const value = sample(event);
    const encoded = await codec.encode(event, value);
    expect(encoded.bytes[0]).toBe(0);
    expect(encoded.bytes.readUInt32BE(1)).toBe(encoded.schemaId);
    const decoded = await codec.decode(encoded.bytes);
    expect(decoded.event).toBe(event);
    expect(decoded.schemaId).toBe(encoded.schemaId);
    expect(decoded.value).toEqual(value);
  });

  it('digests the same content alike whichever contract version wrote it, and other content differently', async () => {
    const catalog = localSchemaSource();
    const v1 = catalog.schemaFor('SupplierUpserted', 1)!;
    const registry = new SchemaRegistry({ host: env.registryUrl });
    const v1Id = await registry.getRegistryIdBySchema(subjectFor('SupplierUpserted'), { type: SchemaType.AVRO, schema: JSON.stringify(v1.schema) });
    // A producer still on v1 ...
    const fromV1 = frame(v1Id, avroTypeFor(v1.schema).toBuffer(sampleValue(v1.schema, 'logical')));
    const decodedV1 = await codec.decode(fromV1);
    // ... and one on v2 sending what the v1 record reads as.
    const fromV2 = (await codec.encode('SupplierUpserted', decodedV1.value)).bytes;
    const decodedV2 = await codec.decode(fromV2);
    expect(decodedV2.schemaId).not.toBe(decodedV1.schemaId);
    const digest = codec.contentDigest(fromV2, decodedV2);
    expect(digest).toMatch(new RegExp(`^${CONTENT_DIGEST_SCHEME}[0-9a-f]{64}$`));
    expect(codec.contentDigest(fromV1, decodedV1)).toBe(digest);
    const other = (await codec.encode('SupplierUpserted', { ...(decodedV1.value as object), legalName: 'Another GmbH' })).bytes;
    expect(codec.contentDigest(other, await codec.decode(other))).not.toBe(digest);
  });

  it('gives a typed error naming the id for an unknown schema id', async () => {
    const body = codec.localType('SupplierBlocked').toBuffer(sample('SupplierBlocked'));
    const unknownId = 2_000_000_000;
    await expect(codec.decode(frame(unknownId, body))).rejects.toBeInstanceOf(UnknownSchemaIdError);
    await expect(codec.decode(frame(unknownId, body))).rejects.toThrow(/schema id 2000000000 is not known/);
  });

  it('gives a typed error for a truncated body, never a partial value', async () => {
    const { bytes } = await codec.encode('InvoiceReceived', sample('InvoiceReceived'));
    for (const cut of [1, 7, Math.floor((bytes.length - 5) / 2)]) {
      const truncated = bytes.subarray(0, bytes.length - cut);
      await expect(codec.decode(truncated)).rejects.toBeInstanceOf(TruncatedPayloadError);
    }
  });

  it('refuses trailing bytes after the record (wrong schema id or corruption)', async () => {
    const { bytes } = await codec.encode('SupplierUnblocked', sample('SupplierUnblocked'));
    await expect(codec.decode(Buffer.concat([bytes, Buffer.from([1, 2, 3])]))).rejects.toBeInstanceOf(TrailingBytesError);
  });

  it('refuses bytes that are not in the wire format', async () => {
    await expect(codec.decode(Buffer.from('{"invoiceId":"INV-1"}'))).rejects.toBeInstanceOf(MalformedWireFormatError);
  });

  it('reports an unreachable registry as retriable, not as an unknown schema', async () => {
    const offline = EventCodec.create('http://127.0.0.1:9/apis/ccompat/v7', localSchemaSource());
    const { bytes } = await codec.encode('SupplierBlocked', sample('SupplierBlocked'));
    const failure = await offline.decode(bytes).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RegistryUnavailableError);
    expect((failure as RegistryUnavailableError).retriable).toBe(true);
  });

  describe('producing', () => {
    const kafka = testKafka('codec-test');
    const producer = kafka.producer({ idempotent: true });
    const admin = kafka.admin();
    const topic = uniqueName('finmesh-test.invoice');

    beforeAll(async () => {
      await Promise.all([producer.connect(), admin.connect()]);
      await createTopicsAndWait(admin, [{ topic, numPartitions: 1 }]);
      // The test topic needs its own subject: register the catalog schema under it.
      await new RegistryAdmin(env.registryUrl).register(subjectFor('InvoiceReceived', topic), localSchemaSource().latestSchema('InvoiceReceived'));
    });
    afterAll(async () => {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await Promise.all([producer.disconnect(), admin.disconnect()]);
    });

    it('refuses a record with a missing required field before anything reaches the topic', async () => {
      const valid = sample('InvoiceReceived');
      const { invoiceId: _missing, ...invalid } = valid;
      const attempt = publishEvent(producer, codec, { event: 'InvoiceReceived', key: 'INV-1', value: invalid, eventId: 'e-1', topic });
      await expect(attempt).rejects.toBeInstanceOf(SchemaValidationError);
      await expect(attempt).rejects.toThrow(/invoiceId: required field is missing/);
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets.map((o) => o.high)).toEqual(['0']);

      await publishEvent(producer, codec, { event: 'InvoiceReceived', key: 'INV-1', value: valid, eventId: 'e-2', topic });
      const after = await admin.fetchTopicOffsets(topic);
      expect(after.map((o) => o.high)).toEqual(['1']);
    });

    it('produces to the catalog topic of the event by default', () => {
      expect(topicForEvent('InvoiceReceived').name).toBe('finmesh.invoice.v1');
    });
  });
});
