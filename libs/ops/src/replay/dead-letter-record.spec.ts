import type { IHeaders, KafkaMessage } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from '@finmesh/messaging';
import { matchesDeadLetterFilter, parseDeadLetterOffset } from './dead-letter-filter';
import { MalformedDeadLetterError, parseDeadLetterRecord, type DeadLetterRecord } from './dead-letter-record';
import { summarizeDeadLetters } from './dead-letter-summary';

function dltHeaders(overrides: Record<string, string | undefined> = {}): IHeaders {
  const base: Record<string, string | undefined> = {
    [DEAD_LETTER_HEADERS.errorClass]: 'PERMANENT',
    [DEAD_LETTER_HEADERS.errorCode]: 'UNKNOWN_SCHEMA_ID',
    [DEAD_LETTER_HEADERS.errorMessage]: 'schema id 99 is not registered',
    [DEAD_LETTER_HEADERS.originalTopic]: 'finmesh.invoice.v1',
    [DEAD_LETTER_HEADERS.originalPartition]: '7',
    [DEAD_LETTER_HEADERS.originalOffset]: '9007199254740993', // beyond 2^53: must stay exact
    [DEAD_LETTER_HEADERS.originalTimestamp]: '1735725600000',
    [DEAD_LETTER_HEADERS.consumerGroup]: 'invoice-sync',
    [DEAD_LETTER_HEADERS.firstFailureAt]: '2025-01-01T10:00:00.000Z',
    [DEAD_LETTER_HEADERS.deadLetteredAt]: '2025-01-01T10:00:05.000Z',
    [DEAD_LETTER_HEADERS.attempts]: '5',
    ...overrides,
  };
  const headers: IHeaders = {};
  // Buffers, as kafkajs delivers consumed headers.
  for (const [k, v] of Object.entries(base)) if (v !== undefined) headers[k] = Buffer.from(v);
  return headers;
}

function message(headers: IHeaders, offset = '42'): KafkaMessage {
  return { key: Buffer.from('inv-1'), value: Buffer.from([0, 0, 0, 0, 99, 1, 2]), timestamp: '1735725605000', attributes: 0, offset, headers };
}

describe('parseDeadLetterRecord', () => {
  it('types every DLT header and keeps key, value and the original headers as bytes, without DLT headers', () => {
    const headers = { ...dltHeaders(), 'finmesh-event-id': Buffer.from('e-1'), 'x-binary': Buffer.from([0xff, 0x00]), 'x-text': 'plain' };
    const r = parseDeadLetterRecord('finmesh.invoice.v1.dlt', 2, message(headers));
    expect(r).toMatchObject({
      dltTopic: 'finmesh.invoice.v1.dlt',
      dltPartition: 2,
      dltOffset: '42',
      errorClass: 'PERMANENT',
      errorCode: 'UNKNOWN_SCHEMA_ID',
      errorMessage: 'schema id 99 is not registered',
      originalTopic: 'finmesh.invoice.v1',
      originalPartition: 7,
      originalOffset: '9007199254740993',
      originalTimestamp: '1735725600000',
      consumerGroup: 'invoice-sync',
      attempts: 5,
      previouslyReplayedFrom: null,
    });
    expect(r.firstFailureAt.toISOString()).toBe('2025-01-01T10:00:00.000Z');
    expect(r.deadLetteredAt.toISOString()).toBe('2025-01-01T10:00:05.000Z');
    expect(r.key).toEqual(Buffer.from('inv-1'));
    expect(r.value).toEqual(Buffer.from([0, 0, 0, 0, 99, 1, 2]));
    expect(Object.keys(r.originalHeaders).sort()).toEqual(['finmesh-event-id', 'x-binary', 'x-text']);
    expect(r.originalHeaders['x-binary']).toEqual(Buffer.from([0xff, 0x00]));
    expect(r.originalHeaders['x-text']).toEqual(Buffer.from('plain'));
  });

  it('accepts string header values, an empty error message and keeps a previous replayed-from apart', () => {
    const headers: IHeaders = {};
    for (const [k, v] of Object.entries(dltHeaders({ [DEAD_LETTER_HEADERS.errorMessage]: '' }))) headers[k] = (v as Buffer).toString();
    headers[DEAD_LETTER_HEADERS.replayedFrom] = 'finmesh.invoice.v1.dlt/0/3';
    const r = parseDeadLetterRecord('t.dlt', 0, message(headers));
    expect(r.errorMessage).toBe('');
    expect(r.previouslyReplayedFrom).toBe('finmesh.invoice.v1.dlt/0/3');
    expect(r.originalHeaders).toEqual({});
  });

  it.each([
    [DEAD_LETTER_HEADERS.errorClass, undefined, 'is missing'],
    [DEAD_LETTER_HEADERS.originalTopic, undefined, 'is missing'],
    [DEAD_LETTER_HEADERS.consumerGroup, '', 'is empty'],
    [DEAD_LETTER_HEADERS.errorClass, 'FATAL', 'is "FATAL", expected one of PERMANENT, TRANSIENT_EXHAUSTED'],
    [DEAD_LETTER_HEADERS.originalPartition, '-1', 'is not a non-negative integer: "-1"'],
    [DEAD_LETTER_HEADERS.attempts, 'five', 'is not a non-negative integer: "five"'],
    [DEAD_LETTER_HEADERS.deadLetteredAt, 'yesterday', 'is not an ISO-8601 time: "yesterday"'],
  ])('names the record and the header when %s is %p', (header, value, problem) => {
    const parse = () => parseDeadLetterRecord('finmesh.invoice.v1.dlt', 3, message(dltHeaders({ [header]: value }), '17'));
    expect(parse).toThrow(MalformedDeadLetterError);
    expect(parse).toThrow(`dead-letter record finmesh.invoice.v1.dlt/3/17: header ${header} ${problem}`);
    try {
      parse();
    } catch (e) {
      expect((e as MalformedDeadLetterError).header).toBe(header);
      expect((e as MalformedDeadLetterError).position).toEqual({ dltTopic: 'finmesh.invoice.v1.dlt', dltPartition: 3, dltOffset: '17' });
    }
  });

  it('refuses a DLT header that appears twice rather than guessing', () => {
    const headers = { ...dltHeaders(), [DEAD_LETTER_HEADERS.originalTopic]: [Buffer.from('a'), Buffer.from('b')] };
    expect(() => parseDeadLetterRecord('t.dlt', 0, message(headers))).toThrow(`header ${DEAD_LETTER_HEADERS.originalTopic} appears 2 times`);
  });
});

function record(over: Partial<DeadLetterRecord>): DeadLetterRecord {
  return { ...parseDeadLetterRecord('a.dlt', 0, message(dltHeaders())), ...over };
}

describe('dead-letter filters and summary', () => {
  const r1 = record({ dltOffset: '1', key: Buffer.from('k1'), deadLetteredAt: new Date('2025-01-01T10:00:00Z') });
  const r2 = record({ dltOffset: '2', key: null, errorClass: 'TRANSIENT_EXHAUSTED', errorCode: 'DB_TIMEOUT', deadLetteredAt: new Date('2025-01-01T11:00:00Z') });
  const r3 = record({ dltTopic: 'b.dlt', dltPartition: 1, dltOffset: '1', consumerGroup: 'other', deadLetteredAt: new Date('2025-01-01T12:00:00Z') });
  const all = [r1, r2, r3];
  const pick = (f: Parameters<typeof matchesDeadLetterFilter>[1]) => all.filter((r) => matchesDeadLetterFilter(r, f));

  it('matches every criterion, with an inclusive from and an exclusive to', () => {
    expect(pick({})).toEqual(all);
    expect(pick({ errorClasses: ['TRANSIENT_EXHAUSTED'] })).toEqual([r2]);
    expect(pick({ errorCodes: ['UNKNOWN_SCHEMA_ID'], consumerGroups: ['invoice-sync'] })).toEqual([r1]);
    expect(pick({ deadLetteredFrom: new Date('2025-01-01T11:00:00Z'), deadLetteredTo: new Date('2025-01-01T12:00:00Z') })).toEqual([r2]);
    expect(pick({ key: 'k1' })).toEqual([r1]);
    expect(pick({ offsets: [{ partition: 0, offset: '1' }] })).toEqual([r1]);
    expect(pick({ offsets: [{ dltTopic: 'b.dlt', partition: 1, offset: '1' }] })).toEqual([r3]);
    expect(pick({ originalTopics: ['nope'] })).toEqual([]);
  });

  it('parses the CLI offset forms and rejects others', () => {
    expect(parseDeadLetterOffset('3:42')).toEqual({ partition: 3, offset: '42' });
    expect(parseDeadLetterOffset('finmesh.invoice.v1.dlt:0:7')).toEqual({ dltTopic: 'finmesh.invoice.v1.dlt', partition: 0, offset: '7' });
    expect(() => parseDeadLetterOffset('3-42')).toThrow('"3-42" is not a DLT offset');
  });

  it('summarizes per DLT topic, consumer group and error class with ages', () => {
    const now = new Date('2025-01-01T13:00:00Z');
    const extra = record({ dltOffset: '9', deadLetteredAt: new Date('2025-01-01T10:30:00Z') });
    expect(summarizeDeadLetters([...all, extra], now)).toEqual([
      expect.objectContaining({ dltTopic: 'a.dlt', consumerGroup: 'invoice-sync', errorClass: 'PERMANENT', count: 2, oldestAgeMs: 3 * 3600_000, newestAgeMs: 2.5 * 3600_000 }),
      expect.objectContaining({ dltTopic: 'a.dlt', consumerGroup: 'invoice-sync', errorClass: 'TRANSIENT_EXHAUSTED', count: 1, oldestAgeMs: 2 * 3600_000 }),
      expect.objectContaining({ dltTopic: 'b.dlt', consumerGroup: 'other', errorClass: 'PERMANENT', count: 1, oldestAgeMs: 3600_000 }),
    ]);
  });
});
