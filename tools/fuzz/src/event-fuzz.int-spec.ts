import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { EVENT_NAMES, frame, localSchemaSource, sampleValue, SchemaValidationError, type EventName } from '@finmesh/contracts';
import { ReliableConsumer, type EventHandler } from '@finmesh/messaging';
import { readDeadLetters } from '@finmesh/ops';
import { effectsPerEvent, eventually, openMessagingTestBed, uniqueName, type MessagingTestBed } from '@finmesh/testing';
import { mutatedEvent } from './bad-events';

/** Generated events per event type: the quick profile in `npm test`; `npm run fuzz` runs 2000. */
const RUNS = Number(process.env['FINMESH_FUZZ_RUNS'] ?? '40');
const SEED = process.env['FINMESH_FUZZ_SEED'] === undefined ? Date.now() % 2 ** 31 : Number(process.env['FINMESH_FUZZ_SEED']);

interface Produced {
  readonly event: EventName;
  readonly eventId: string;
  readonly mutation: string;
  /** The first rule the value breaks, as the rule set names it; undefined for a value within the rules. */
  readonly rule: string | undefined;
  readonly path: string | undefined;
}

/**
 * Schema-valid events with generated business content, of every event type, produced straight to
 * a real topic as a third-party client with its own Avro serializer would (the finmesh codec
 * refuses to encode a breach, so the bytes are framed by hand), and consumed by the consumer
 * runtime every service uses. Each value is a valid sample with one field changed: a string
 * emptied, made an unknown code or over-long, a number negated, an array emptied. The oracle is
 * the contract's rule set: a value that breaks a rule must reach the dead-letter topic as
 * BUSINESS_RULE_VIOLATION naming that rule and path, and never be applied; every other value must
 * be applied exactly once, so the partition keeps flowing past every bad record. A change that
 * leaves the value schema-invalid (an empty UUID) cannot be produced as Avro and is counted apart.
 * The seed is printed and written to test-output/fuzz-events.json; re-run with FINMESH_FUZZ_SEED.
 */
describe('Kafka fuzz: every event type with bad business content is dead-lettered naming the rule', () => {
  jest.setTimeout(600_000);
  let bed: MessagingTestBed;
  let consumer: ReliableConsumer | undefined;
  const catalog = localSchemaSource();

  beforeAll(async () => {
    bed = await openMessagingTestBed({ events: EVENT_NAMES, partitions: 3 });
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
    await bed?.teardown();
  });

  it(`produces ${RUNS} generated values per event type and checks where each one ends up (seed ${SEED})`, async () => {
    const produced: Produced[] = [];
    let notEncodable = 0;
    const messages: Array<{ key: string; value: Buffer; headers: Record<string, string> }> = [];
    for (const [index, event] of EVENT_NAMES.entries()) {
      const sample = sampleValue(catalog.latestSchema(event), 'logical') as Record<string, unknown>;
      const schemaId = (await bed.codec.encode(event, sample, bed.topic)).schemaId;
      const type = bed.codec.localType(event);
      for (const generated of fc.sample(mutatedEvent(sample), { numRuns: RUNS, seed: SEED + index })) {
        const eventId = randomUUID();
        const value = { ...generated.value, envelope: { ...(generated.value['envelope'] as object), eventId } };
        try {
          bed.codec.validate(event, value);
        } catch (err) {
          if (err instanceof SchemaValidationError) {
            notEncodable++;
            continue;
          }
        }
        const [breach] = catalog.businessRules.breaches(event, value);
        produced.push({ event, eventId, mutation: generated.mutation, rule: breach?.rule, path: breach?.path });
        messages.push({ key: `fuzz-${event}-${produced.length % 7}`, value: frame(schemaId, type.toBuffer(value)), headers: { 'finmesh-event-id': eventId } });
      }
    }
    for (let i = 0; i < messages.length; i += 500) await bed.producer.send({ topic: bed.topic, messages: messages.slice(i, i + 500) });

    const record: EventHandler = async (_value, ctx) => {
      await ctx.manager.query('INSERT INTO effects (event_id, invoice_id) VALUES ($1, $2)', [ctx.eventId, ctx.event]);
    };
    consumer = new ReliableConsumer({
      kafka: bed.kafka,
      groupId: uniqueName('fuzz'),
      topics: [bed.topic],
      dataSource: bed.ds,
      schema: bed.schema,
      codec: bed.codec,
      handlers: Object.fromEntries(EVENT_NAMES.map((e) => [e, record])),
      logger: pino({ level: 'silent' }),
      retry: { initialBackoffMs: 50, maxBackoffMs: 200, maxAttempts: 2 },
    });
    await consumer.start();
    const bad = produced.filter((p) => p.rule !== undefined);
    const good = produced.filter((p) => p.rule === undefined);
    await eventually(
      `${good.length} applied and ${bad.length} dead-lettered (seed ${SEED})`,
      async () => consumer!.stats.applied === good.length && consumer!.stats.deadLettered === bad.length,
      240_000,
    );

    const applied = await effectsPerEvent(bed);
    expect({ seed: SEED, applied: [...applied.keys()].sort() }).toEqual({ seed: SEED, applied: good.map((p) => p.eventId).sort() });
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    // The consumer counted every dead letter after publishing it: the snapshot read holds them all.
    const dead = new Map((await readDeadLetters({ kafka: bed.kafka, dltTopics: [`${bed.topic}.dlt`] })).map((r) => [r.originalHeaders['finmesh-event-id']?.toString() ?? '', r]));
    const wrong = bad.flatMap((p) => {
      const record = dead.get(p.eventId);
      const ok = record?.errorCode === 'BUSINESS_RULE_VIOLATION' && record.errorMessage.includes(`${p.path} `) && record.errorMessage.includes(`(rule ${p.rule})`);
      return ok ? [] : [{ ...p, got: record ? { errorCode: record.errorCode, errorMessage: record.errorMessage } : 'not dead-lettered' }];
    });
    expect({ seed: SEED, wrong: wrong.slice(0, 5) }).toEqual({ seed: SEED, wrong: [] });

    const byEvent = Object.fromEntries(
      EVENT_NAMES.map((e) => [e, { deadLettered: bad.filter((p) => p.event === e).length, applied: good.filter((p) => p.event === e).length }]),
    );
    const byRule: Record<string, number> = {};
    for (const p of bad) byRule[p.rule!] = (byRule[p.rule!] ?? 0) + 1;
    const summary = { runsPerEventType: RUNS, seed: SEED, produced: produced.length, deadLettered: bad.length, applied: good.length, notEncodable, byEvent, byRule };
    mkdirSync(join(process.cwd(), 'test-output'), { recursive: true });
    writeFileSync(join(process.cwd(), 'test-output', 'fuzz-events.json'), JSON.stringify(summary, null, 2));
    console.log(`Kafka fuzz (seed ${SEED}): ${produced.length} events produced, ${bad.length} dead-lettered as BUSINESS_RULE_VIOLATION, ${good.length} applied, ${notEncodable} generated values not encodable; ${Object.keys(byRule).length} rules hit`);
    // The fuzz must actually reach the rules: most event types yield breaches.
    expect(Object.values(byEvent).filter((e) => e.deadLettered > 0).length).toBeGreaterThan(EVENT_NAMES.length / 2);
  });
});
