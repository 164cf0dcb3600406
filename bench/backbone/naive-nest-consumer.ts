/**
 * The comparison point a NestJS team would write without finmesh: the stock Kafka transport of
 * @nestjs/microservices (ServerKafka on kafkajs, default options), an @EventPattern handler, and
 * one TypeORM transaction per message that makes the handler idempotent through an inbox table:
 *
 *   BEGIN; SELECT inbox by event id; INSERT inbox; INSERT effect; COMMIT
 *
 * That is correct (a redelivered event is skipped) but pays five database round trips and a
 * commit per message, with messages handled one at a time — the cost the finmesh batched consumer
 * is built to avoid. Nothing here is tuned on purpose; tuning it would stop it being the baseline.
 *
 *   node -r @swc-node/register bench/backbone/naive-nest-consumer.ts [--events=5000] [--partitions=12]
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Controller, Inject, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { CompressionTypes, Kafka, logLevel, type Message } from 'kafkajs';
import { Column, DataSource, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { addDecimals, decimal, kafkaJsConnection, MONEY_SCALE, sumDecimals, type KafkaClientSettings } from '@finmesh/contracts';
import {
  BenchSetupError,
  benchEnv,
  cliInt,
  createFreshTopic,
  deleteGroupsQuietly,
  deleteTopicQuietly,
  errorMessage,
  isVerbose,
  perSecond,
  runCli,
  uniqueSuffix,
} from './bench-support';

export interface NaiveNestConsumerOptions {
  readonly kafka: KafkaClientSettings;
  readonly databaseUrl: string;
  readonly events: number;
  /** Same as the finmesh benchmark topic by default (12). */
  readonly partitions?: number;
  /** From app start (includes the consumer-group join) until the N-th commit; default 120 s. */
  readonly timeoutMs?: number;
}

export interface NaiveNestConsumerResult {
  /** Events committed per second, from the first message handled to the N-th committed. */
  readonly naive_consume_eps: number;
  readonly events: number;
  readonly elapsed_ms: number;
}

/** The JSON a team would put on the topic: InvoiceReceived-like, money as decimal strings. */
export interface NaiveInvoiceReceived {
  readonly eventId: string;
  readonly eventType: 'InvoiceReceived';
  readonly eventVersion: number;
  readonly occurredAt: string;
  readonly sourcePlatform: string;
  readonly legalEntity: string;
  readonly invoiceId: string;
  readonly supplierId: string;
  readonly purchaseOrderId: string;
  readonly invoiceDate: string;
  readonly currency: string;
  readonly netAmount: string;
  readonly taxAmount: string;
  readonly grossAmount: string;
  readonly lines: ReadonlyArray<{
    readonly lineNumber: number;
    readonly description: string;
    readonly quantity: string;
    readonly unitPrice: string;
    readonly amount: string;
  }>;
}

const DEFAULT_PARTITIONS = 12;
const DEFAULT_TIMEOUT_MS = 120_000;
const DATA_SOURCE = Symbol('NAIVE_DATA_SOURCE');
const PROGRESS = Symbol('NAIVE_PROGRESS');

// ---------------------------------------------------------------------------------------------
// Entities: what a team would declare for the inbox and the handler's effect
// ---------------------------------------------------------------------------------------------

@Entity({ name: 'inbox' })
class InboxEntry {
  @PrimaryColumn({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'timestamptz', name: 'processed_at' })
  processedAt!: Date;
}

@Entity({ name: 'invoice_effect' })
class InvoiceEffect {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'text', name: 'invoice_id' })
  invoiceId!: string;

  @Column({ type: 'text', name: 'supplier_id' })
  supplierId!: string;

  @Column({ type: 'numeric', precision: 19, scale: 4, name: 'gross_amount' })
  grossAmount!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;
}

// Tables created explicitly (not `synchronize`) so the DDL is visible and the schema is unique.
const DDL = (schema: string): string[] => [
  `CREATE SCHEMA "${schema}"`,
  `CREATE TABLE "${schema}".inbox (event_id uuid PRIMARY KEY, processed_at timestamptz NOT NULL)`,
  `CREATE TABLE "${schema}".invoice_effect (id bigserial PRIMARY KEY, event_id uuid NOT NULL, invoice_id text NOT NULL,
     supplier_id text NOT NULL, gross_amount numeric(19,4) NOT NULL, currency char(3) NOT NULL)`,
];

// ---------------------------------------------------------------------------------------------
// Progress: when the first message arrived, when the N-th committed
// ---------------------------------------------------------------------------------------------

class Progress {
  firstHandledAt: number | undefined;
  lastCommittedAt: number | undefined;
  committed = 0;
  duplicates = 0;
  failure: unknown;
  private settle: ((err?: unknown) => void) | undefined;
  readonly done: Promise<void>;

  constructor(readonly target: number) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (err) => (err === undefined ? resolve() : reject(err));
    });
    // A failure after the run already timed out must not surface as an unhandled rejection.
    this.done.catch(() => undefined);
  }

  handled(): void {
    this.firstHandledAt ??= performance.now();
  }

  committedOne(duplicate: boolean): void {
    this.committed++;
    if (duplicate) this.duplicates++;
    this.lastCommittedAt = performance.now();
    if (this.committed === this.target) this.settle?.();
  }

  /** The stock transport only logs a failed event handler and moves on; a benchmark must stop. */
  failed(err: unknown): void {
    this.failure ??= err;
    this.settle?.(err);
  }
}

/**
 * The module and controller are built per run because @EventPattern needs the topic name when
 * the class is declared, and each run uses a fresh topic.
 */
function naiveModule(topic: string, dataSource: DataSource, progress: Progress): Type<unknown> {
  @Controller()
  class InvoiceReceivedController {
    constructor(
      @Inject(DATA_SOURCE) private readonly db: DataSource,
      @Inject(PROGRESS) private readonly progress: Progress,
    ) {}

    // ServerKafka already JSON-parsed the value (KafkaParser), as it does for every team using it.
    @EventPattern(topic)
    async onInvoiceReceived(@Payload() event: NaiveInvoiceReceived): Promise<void> {
      this.progress.handled();
      try {
        let duplicate = false;
        await this.db.transaction(async (em) => {
          const seen = await em.findOne(InboxEntry, { where: { eventId: event.eventId } });
          if (seen) {
            duplicate = true;
            return;
          }
          await em.insert(InboxEntry, { eventId: event.eventId, processedAt: new Date() });
          await em.insert(InvoiceEffect, {
            eventId: event.eventId,
            invoiceId: event.invoiceId,
            supplierId: event.supplierId,
            grossAmount: event.grossAmount,
            currency: event.currency,
          });
        });
        this.progress.committedOne(duplicate);
      } catch (err) {
        this.progress.failed(err);
        throw err;
      }
    }
  }

  @Module({
    controllers: [InvoiceReceivedController],
    providers: [
      { provide: DATA_SOURCE, useValue: dataSource },
      { provide: PROGRESS, useValue: progress },
    ],
  })
  class NaiveConsumerModule {}

  return NaiveConsumerModule;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

export async function runNaiveNestConsumer(options: NaiveNestConsumerOptions): Promise<NaiveNestConsumerResult> {
  if (!Number.isInteger(options.events) || options.events <= 0) throw new Error('events must be a positive integer');
  const partitions = options.partitions ?? DEFAULT_PARTITIONS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const suffix = uniqueSuffix();
  const topic = `finmesh.bench.naive.${suffix}`;
  const schema = `bench_naive_${suffix}`;
  const log = (msg: string): void => {
    if (isVerbose()) console.error(`[naive] ${msg}`);
  };

  const dataSource = new DataSource({
    type: 'postgres',
    url: options.databaseUrl,
    schema,
    entities: [InboxEntry, InvoiceEffect],
    synchronize: false,
    logging: false,
    applicationName: 'finmesh-bench-naive',
  });
  try {
    await dataSource.initialize();
  } catch (err) {
    throw new BenchSetupError(`cannot reach PostgreSQL at ${redactUrl(options.databaseUrl)} (${errorMessage(err)}); start the local stack with \`npm run infra:up\``);
  }

  const groupId = `bench-naive-${suffix}`;
  let topicCreated = false;
  let schemaCreated = false;
  let appStarted = false;
  try {
    for (const sql of DDL(schema)) await dataSource.query(sql);
    schemaCreated = true;
    await createFreshTopic(options.kafka, topic, partitions);
    topicCreated = true;

    log(`producing ${options.events} events to ${topic} (not timed)`);
    await produceInvoices(options.kafka, topic, options.events);

    const progress = new Progress(options.events);
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(naiveModule(topic, dataSource, progress), {
      transport: Transport.KAFKA,
      options: {
        // ServerKafka appends '-server' to both ids; the suffix keeps every run in a fresh group.
        client: { clientId: `bench-naive-${suffix}`, ...kafkaJsConnection(options.kafka), logLevel: logLevel.NOTHING },
        consumer: { groupId },
        // A new group has no committed offsets; without this it would start at the end and wait.
        subscribe: { fromBeginning: true },
      },
      logger: isVerbose() ? ['error', 'warn', 'log'] : ['error', 'warn'],
    });
    const progressTicker = isVerbose()
      ? setInterval(() => log(`${progress.committed}/${options.events} committed`), 2000)
      : undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      appStarted = true;
      await app.listen();
      log('consumer started; waiting for the group join and the first message');
      await Promise.race([
        progress.done,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `naive NestJS consumer timed out after ${Math.round(timeoutMs / 1000)} s with ${progress.committed} of ${options.events} events committed` +
                    (progress.firstHandledAt === undefined ? ' (no message was ever handled: did the consumer join the group and subscribe from the beginning?)' : '') +
                    '; pass fewer events or a larger timeoutMs',
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      if (progress.failure !== undefined && err === progress.failure) {
        throw new Error(`naive handler failed after ${progress.committed} of ${options.events} events: ${errorMessage(err)}`);
      }
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
      if (progressTicker) clearInterval(progressTicker);
      await app.close();
    }

    const elapsedMs = (progress.lastCommittedAt ?? 0) - (progress.firstHandledAt ?? 0);
    const [{ count } = { count: '0' }] = (await dataSource.query(`SELECT count(*)::text AS count FROM "${schema}".invoice_effect`)) as Array<{ count: string }>;
    if (Number(count) !== options.events || progress.duplicates !== 0) {
      throw new Error(`expected ${options.events} effect rows and no duplicates, found ${count} rows and ${progress.duplicates} duplicates`);
    }
    return {
      naive_consume_eps: perSecond(options.events, elapsedMs),
      events: options.events,
      elapsed_ms: Math.round(elapsedMs),
    };
  } finally {
    if (schemaCreated) {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch((err: unknown) => {
        console.error(`warning: could not drop schema ${schema}: ${errorMessage(err)}`);
      });
    }
    await dataSource.destroy();
    if (topicCreated) {
      await deleteTopicQuietly(options.kafka, topic);
      if (appStarted) await deleteGroupsQuietly(options.kafka, [`${groupId}-server`]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Test data
// ---------------------------------------------------------------------------------------------

/** Fast, untimed load: large batches, a few in flight, acks from all replicas like a real producer. */
async function produceInvoices(settings: KafkaClientSettings, topic: string, events: number): Promise<void> {
  const kafka = new Kafka({ clientId: 'finmesh-bench-naive-loader', ...kafkaJsConnection(settings), logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const batchSize = 1000;
    const inFlight = 4;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < events) {
        const start = next;
        next = Math.min(events, next + batchSize);
        const messages: Message[] = [];
        for (let i = start; i < next; i++) {
          const invoice = sampleInvoice(i);
          messages.push({ key: invoice.invoiceId, value: JSON.stringify(invoice) });
        }
        await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  } finally {
    await producer.disconnect();
  }
}

/** A realistic InvoiceReceived of ~620 bytes of JSON; amounts are consistent decimal strings with scale 4. */
export function sampleInvoice(i: number): NaiveInvoiceReceived {
  const qty = [3, 12, 1][i % 3] ?? 1;
  const unitCents = [4250, 1999, 125000][i % 3] ?? 100;
  const lines = [1, 2].map((lineNumber) => {
    const quantity = qty * lineNumber;
    const amountCents = quantity * unitCents;
    return {
      lineNumber,
      description: lineNumber === 1 ? 'M8 fasteners, box of 100' : 'Freight',
      quantity: `${quantity}.0000`,
      unitPrice: cents(unitCents),
      amount: cents(amountCents),
    };
  });
  // Exact decimal sums (the money module), tax rounded to the cent as an invoice would print it.
  const net = sumDecimals(lines.map((l) => l.amount), MONEY_SCALE);
  const tax = decimal(net).mul(decimal('0.19')).round(2).toFixed(MONEY_SCALE);
  const seq = String(i).padStart(8, '0');
  return {
    eventId: randomUUID(),
    eventType: 'InvoiceReceived',
    eventVersion: 1,
    occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
    sourcePlatform: 'ap-automation',
    legalEntity: 'DE01',
    invoiceId: `INV-${seq}`,
    supplierId: `SUP-${String(i % 500).padStart(6, '0')}`,
    purchaseOrderId: `PO-${String(i % 2000).padStart(7, '0')}`,
    invoiceDate: '2026-11-01',
    currency: 'EUR',
    netAmount: net,
    taxAmount: tax,
    grossAmount: addDecimals(net, tax, MONEY_SCALE),
    lines,
  };
}

function cents(c: number): string {
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}00`;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

if (require.main === module) {
  runCli(() => {
    const argv = process.argv.slice(2);
    const env = benchEnv();
    return runNaiveNestConsumer({
      kafka: env.kafka,
      databaseUrl: env.databaseUrl,
      events: cliInt(argv, 'events', 5_000),
      partitions: cliInt(argv, 'partitions', DEFAULT_PARTITIONS),
    });
  });
}
