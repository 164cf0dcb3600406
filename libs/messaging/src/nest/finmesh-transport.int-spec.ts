import { Controller, type INestMicroservice, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { type HandlerContext } from '../consuming/handler-context';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutboxWriter } from '../outbox/outbox-writer';
import { publishEvent } from '../producing/publish-event';
import { FinmeshKafkaTransport } from './finmesh-transport';
import { type EventCodec, localSchemaSource } from '@finmesh/contracts';
import {
  env,
  eventually,
  invoiceReceived,
  type MessagingTestBed,
  openMessagingTestBed,
  sampleValue,
  uniqueName,
} from '@finmesh/testing';

const logger = pino({ level: 'silent' });

/** A service handler as services write them: decorators plus domain code, nothing about Kafka. */
@Controller()
class InvoiceMatchingHandler {
  @EventPattern('InvoiceReceived')
  async onInvoiceReceived(@Payload() invoice: { invoiceId: string; envelope: { eventId: string; correlationId: string } }, @Ctx() ctx: HandlerContext): Promise<void> {
    await ctx.manager.query('INSERT INTO invoices (invoice_id, status) VALUES ($1, $2)', [invoice.invoiceId, 'MATCHED']);
    const matched = sampleValue(localSchemaSource().latestSchema('InvoiceMatched'), 'logical') as Record<string, unknown> & {
      envelope: Record<string, unknown>;
    };
    await ctx.emit([
      {
        event: 'InvoiceMatched',
        key: invoice.invoiceId,
        value: {
          ...matched,
          invoiceId: invoice.invoiceId,
          envelope: { ...matched.envelope, eventId: randomUUID(), correlationId: invoice.envelope.correlationId, causationId: ctx.eventId },
        } as never,
      },
    ]);
  }
}

@Module({ controllers: [InvoiceMatchingHandler] })
class HandlerModule {}

describe('FinmeshKafkaTransport (NestJS custom transport) end to end', () => {
  let kafka: Kafka;
  let producer: Producer;
  let codec: EventCodec;
  let topic: string;
  let schema: string;
  let ds: DataSource;
  let pool: Pool;
  let app: INestMicroservice;
  let relay: OutboxRelay;
  let bed: MessagingTestBed;

  beforeAll(async () => {
    bed = await openMessagingTestBed({ events: ['InvoiceReceived', 'InvoiceMatched'], outbox: true });
    ({ kafka, producer, codec, topic, schema, ds, pool } = bed);
    await ds.query('CREATE TABLE invoices (invoice_id text PRIMARY KEY, status text NOT NULL)');
    relay = new OutboxRelay({ pool, connectionString: env.databaseUrl, schema, producer, logger });
    relay.start();

    const moduleRef = await Test.createTestingModule({ imports: [HandlerModule] }).compile();
    app = moduleRef.createNestMicroservice({
      strategy: new FinmeshKafkaTransport({
        kafka,
        groupId: uniqueName('invoice-sync'),
        topics: [topic],
        dataSource: ds,
        schema,
        codec,
        logger,
        outbox: new OutboxWriter(codec, schema, () => topic),
      }),
    });
    await app.listen();
  });

  afterAll(async () => {
    await app.close();
    await relay.stop();
    await bed.teardown();
  });

  it('runs @EventPattern handlers with their state change and follow-up event in one transaction, once per event', async () => {
    const value = invoiceReceived('INV-42');
    for (let i = 0; i < 3; i++) {
      await publishEvent(producer, codec, { event: 'InvoiceReceived', key: 'INV-42', value, eventId: value.envelope.eventId, topic });
    }
    await eventually('invoice stored', async () => ((await ds.query('SELECT * FROM invoices')) as unknown[]).length === 1);
    await eventually('follow-up published', async () => relay.published === 1);
    await new Promise((r) => setTimeout(r, 1000)); // duplicates would have been applied by now
    expect(await ds.query('SELECT invoice_id, status FROM invoices')).toEqual([{ invoice_id: 'INV-42', status: 'MATCHED' }]);
    const outbox = (await ds.query('SELECT event_type, message_key, headers FROM finmesh_outbox')) as {
      event_type: string;
      message_key: string;
      headers: Record<string, string>;
    }[];
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ event_type: 'InvoiceMatched', message_key: 'INV-42' });
    expect(outbox[0]!.headers['finmesh-causation-id']).toBe(value.envelope.eventId);
    expect(outbox[0]!.headers['finmesh-correlation-id']).toBe('corr-INV-42');
  });

  it('refuses a pattern that is not a finmesh event at start-up', async () => {
    @Controller()
    class Typo {
      @EventPattern('InvoiceRecieved')
      async handle(): Promise<void> {}
    }
    @Module({ controllers: [Typo] })
    class TypoModule {}
    const moduleRef = await Test.createTestingModule({ imports: [TypoModule] }).compile();
    const broken = moduleRef.createNestMicroservice({
      strategy: new FinmeshKafkaTransport({ kafka, groupId: uniqueName('typo'), dataSource: ds, schema, codec, logger }),
      logger: false,
    });
    await expect(broken.listen()).rejects.toThrow(/'InvoiceRecieved'\) is not a finmesh event/);
    await broken.close();
  });
});
