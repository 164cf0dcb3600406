import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { EventCodec, localSchemaSource, sampleValue, topicNameFor, type PurchaseOrderIssued } from '@finmesh/contracts';
import { publishEvent } from '@finmesh/messaging';
import { createTestSchema, dropTestSchema, env, eventually, provisionTestNamespace, startServiceUnderTest, testKafka, type ServiceUnderTest } from '@finmesh/testing';
import { invoiceSyncService } from '@finmesh/invoice-sync';
import { ReportingProjectorService } from '@finmesh/reporting-projector';
import { LOCAL_PLATFORM_CREDENTIALS } from '@finmesh/stack';

/**
 * "Same revision, different content" gets one answer everywhere: a purchase order produced twice
 * at the same revision with different quantities (two events, as a platform correcting itself
 * without a new revision) is resolved by the contracts' one rule (document-revision.ts: the later
 * event wins) in invoice-sync's replica and in reporting's read model alike, whichever of the two
 * arrives first. Before, reporting kept the event whose version sorted last and invoice-sync the
 * one that arrived last.
 */
describe('one truth for a PO re-sent at the same revision with other content', () => {
  jest.setTimeout(180_000);
  const SECRET = 'revision-agreement-secret-0123456789abcdef';
  const pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  const codec = EventCodec.create(env.registryUrl, localSchemaSource());
  const services: Array<{ service: ServiceUnderTest; schema: string }> = [];
  let ns: { prefix: string; cleanup: () => Promise<void> };
  let producer: Producer;

  beforeAll(async () => {
    ns = await provisionTestNamespace();
    producer = testKafka().producer({ idempotent: true });
    await producer.connect();
    for (const definition of [invoiceSyncService({ ...LOCAL_PLATFORM_CREDENTIALS, ...process.env, FINMESH_COUPA_POLL: 'off' }), ReportingProjectorService]) {
      const schema = await createTestSchema();
      services.push({ service: await startServiceUnderTest(definition, { topicPrefix: ns.prefix, dbSchema: schema, jwtSecret: SECRET }), schema });
    }
  }, 120_000);

  afterAll(async () => {
    for (const { service, schema } of services) {
      await service.app.close();
      await dropTestSchema(schema);
    }
    await producer?.disconnect();
    await ns?.cleanup();
    await pool.end();
  });

  function order(purchaseOrderId: string, quantity: string, occurredAt: Date): PurchaseOrderIssued {
    const sample = sampleValue(localSchemaSource().latestSchema('PurchaseOrderIssued'), 'logical') as PurchaseOrderIssued;
    const line = sample.lines[0]!;
    return {
      ...sample,
      envelope: { ...sample.envelope, eventId: randomUUID(), occurredAt },
      purchaseOrderId,
      poNumber: purchaseOrderId,
      revision: 0,
      lines: [{ ...line, lineNumber: 1, quantity }],
    };
  }

  it('keeps the later event in invoice-sync and in reporting, in either order of arrival', async () => {
    const earlier = new Date('2026-12-01T10:00:00.000Z');
    const later = new Date('2026-12-01T10:01:00.000Z');
    const topic = topicNameFor('PurchaseOrderIssued', ns.prefix);
    // PO-A: the earlier event arrives first; PO-B: the later one arrives first.
    const sends = [order('PO-A', '3.0000', earlier), order('PO-A', '2.0000', later), order('PO-B', '2.0000', later), order('PO-B', '3.0000', earlier)];
    for (const value of sends) await publishEvent(producer, codec, { event: 'PurchaseOrderIssued', key: value.purchaseOrderId, value, eventId: value.envelope.eventId, topic });

    const [invoiceSchema, reportingSchema] = services.map((s) => s.schema);
    const quantities = async (schema: string): Promise<Record<string, string>> => {
      const { rows } = await pool.query<{ id: string; quantity: string }>(
        `SELECT purchase_order_id AS id, quantity::numeric(19,4)::text AS quantity FROM "${schema}".purchase_order_lines WHERE line_number = 1 ORDER BY 1`,
      );
      return Object.fromEntries(rows.map((r) => [r.id, r.quantity]));
    };
    const ids = sends.map((v) => v.envelope.eventId);
    const consumed = async (schema: string): Promise<number> =>
      Number((await pool.query<{ n: string }>(`SELECT count(DISTINCT event_id) AS n FROM "${schema}".finmesh_inbox WHERE event_id = ANY($1)`, [ids])).rows[0]?.n ?? 0);
    await eventually('both services consumed the four events', async () => (await consumed(invoiceSchema!)) === 4 && (await consumed(reportingSchema!)) === 4);

    const expected = { 'PO-A': '2.0000', 'PO-B': '2.0000' };
    expect(await quantities(invoiceSchema!)).toEqual(expected);
    expect(await quantities(reportingSchema!)).toEqual(expected);
  });
});
