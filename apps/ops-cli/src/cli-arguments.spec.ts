import { UsageError } from './cli-errors';
import { collect, deadLetterFilterFrom, parseErrorClass, parsePositiveInt, parseResetTarget, parseTime } from './cli-arguments';
import { loadOpsConfig } from './config/ops-config';

describe('argument validation', () => {
  it('accepts ISO-8601 times with a zone and bare dates, and names the flag otherwise', () => {
    expect(parseTime('2025-01-31T18:00:00Z', '--since').toISOString()).toBe('2025-01-31T18:00:00.000Z');
    expect(parseTime('2025-01-31T18:00+01:00', '--since').toISOString()).toBe('2025-01-31T17:00:00.000Z');
    expect(parseTime('2025-01-31', '--since').toISOString()).toBe('2025-01-31T00:00:00.000Z');
    for (const bad of ['yesterday', '2025-01-31T18:00:00', '1735725600000', '2025-13-01']) {
      expect(() => parseTime(bad, '--since')).toThrow(UsageError);
    }
    expect(() => parseTime('yesterday', '--until')).toThrow('--until "yesterday" is not a time');
  });

  it('parses replay targets', () => {
    expect(parseResetTarget('earliest')).toBe('earliest');
    expect(parseResetTarget('LATEST')).toBe('latest');
    expect(parseResetTarget('2025-01-01T00:00:00Z')).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(() => parseResetTarget('beginning')).toThrow('--from "beginning" is not a time');
  });

  it('parses error classes, numbers and repeatable lists', () => {
    expect(parseErrorClass('transient-exhausted')).toBe('TRANSIENT_EXHAUSTED');
    expect(() => parseErrorClass('FATAL')).toThrow('use PERMANENT or TRANSIENT_EXHAUSTED');
    expect(parsePositiveInt('30', '--timeout')).toBe(30);
    expect(() => parsePositiveInt('0', '--timeout')).toThrow(UsageError);
    expect(() => parsePositiveInt('1.5', '--timeout')).toThrow('--timeout "1.5" must be a whole number greater than 0');
    expect(collect('A, B', ['X'])).toEqual(['X', 'A', 'B']);
  });

  it('builds a dead-letter filter from the flags, refusing an empty time window and bad offsets', () => {
    expect(deadLetterFilterFrom({})).toEqual({});
    expect(
      deadLetterFilterFrom({ errorClass: ['permanent'], group: ['g'], key: 'S-1', since: '2025-01-01', until: '2025-01-02', offset: ['t.dlt:0:5', '1:7'] }),
    ).toEqual({
      errorClasses: ['PERMANENT'],
      consumerGroups: ['g'],
      key: 'S-1',
      deadLetteredFrom: new Date('2025-01-01T00:00:00Z'),
      deadLetteredTo: new Date('2025-01-02T00:00:00Z'),
      offsets: [
        { dltTopic: 't.dlt', partition: 0, offset: '5' },
        { partition: 1, offset: '7' },
      ],
    });
    expect(() => deadLetterFilterFrom({ since: '2025-01-02', until: '2025-01-01' })).toThrow('--since (2025-01-02T00:00:00.000Z) must be before --until');
    expect(() => deadLetterFilterFrom({ offset: ['5'] })).toThrow(UsageError);
  });

  it('validates the settings at once, naming every bad variable and never echoing the database URL', () => {
    expect(loadOpsConfig({})).toMatchObject({ kafkaBrokers: ['127.0.0.1:9092'], topicPrefix: '', projectorUrl: 'http://127.0.0.1:3005', opsSchema: 'finmesh_ops' });
    expect(loadOpsConfig({ FINMESH_TOPIC_PREFIX: '' }, { prefix: 'staging.' }).topicPrefix).toBe('staging.');
    let error: unknown;
    try {
      loadOpsConfig({ FINMESH_KAFKA_BROKERS: 'localhost', FINMESH_DB_URL: 'mysql://root:secret@db/x', FINMESH_TOPIC_PREFIX: 'Staging' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain("FINMESH_KAFKA_BROKERS: must be a comma-separated list of host:port (got 'localhost')");
    expect(message).toContain('FINMESH_TOPIC_PREFIX / --prefix must be lower-case');
    expect(message).toContain('FINMESH_DB_URL must start with postgres://');
    expect(message).not.toContain('secret');
  });
});
