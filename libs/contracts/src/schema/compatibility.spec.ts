import * as avro from 'avsc';
import { checkCompatibility, checkNewVersion, type CompatibilityMode, type VersionedSchema } from './compatibility';

type Json = Record<string, unknown>;

function event(fields: readonly Json[], extra: Json = {}): Json {
  return { type: 'record', name: 'Evt', namespace: 'finmesh.test', fields, ...extra };
}

function version(schema: Json, n: number): VersionedSchema {
  return { schema, label: `Evt v${n} (schemas/events/test/Evt.v${n}.avsc)` };
}

const id = { name: 'id', type: 'string' };
const money = (scale: number): Json => ({
  type: 'record',
  name: 'Money',
  namespace: 'finmesh.common',
  fields: [
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 19, scale } },
    { name: 'currency', type: 'string' },
  ],
});
const status = (symbols: string[], def?: string): Json => ({ type: 'enum', name: 'Status', symbols, ...(def ? { default: def } : {}) });

interface Case {
  readonly title: string;
  readonly older: Json;
  readonly newer: Json;
  /** Can the newer schema read data written with the older one? */
  readonly backward: boolean;
  /** Can the older schema read data written with the newer one? */
  readonly forward: boolean;
  /** Field path every issue must name. */
  readonly path?: string;
  /** Whether avsc's resolver sees the same thing (false where avsc ignores logical types). */
  readonly avsc: boolean;
}

const CASES: readonly Case[] = [
  { title: 'identical', older: event([id]), newer: event([id]), backward: true, forward: true, avsc: true },
  {
    title: 'field added without default',
    older: event([id]),
    newer: event([id, { name: 'approvalRoute', type: 'string' }]),
    backward: false, forward: true, path: 'Evt.approvalRoute', avsc: true,
  },
  {
    title: 'optional field added with default null',
    older: event([id]),
    newer: event([id, { name: 'note', type: ['null', 'string'], default: null }]),
    backward: true, forward: true, avsc: true,
  },
  {
    title: 'field without default removed',
    older: event([id, { name: 'legacyCode', type: 'string' }]),
    newer: event([id]),
    backward: true, forward: false, path: 'Evt.legacyCode', avsc: true,
  },
  {
    title: 'field with default removed',
    older: event([id, { name: 'legacyCode', type: 'string', default: '' }]),
    newer: event([id]),
    backward: true, forward: true, avsc: true,
  },
  {
    title: 'int promoted to long',
    older: event([{ name: 'count', type: 'int' }]),
    newer: event([{ name: 'count', type: 'long' }]),
    backward: true, forward: false, path: 'Evt.count', avsc: true,
  },
  {
    title: 'long narrowed to int',
    older: event([{ name: 'count', type: 'long' }]),
    newer: event([{ name: 'count', type: 'int' }]),
    backward: false, forward: true, path: 'Evt.count', avsc: true,
  },
  {
    title: 'float promoted to double',
    older: event([{ name: 'ratio', type: 'float' }]),
    newer: event([{ name: 'ratio', type: 'double' }]),
    backward: true, forward: false, path: 'Evt.ratio', avsc: true,
  },
  {
    title: 'string to bytes (mutually promotable)',
    older: event([{ name: 'ref', type: 'string' }]),
    newer: event([{ name: 'ref', type: 'bytes' }]),
    backward: true, forward: true, avsc: true,
  },
  {
    title: 'string to int',
    older: event([{ name: 'ref', type: 'string' }]),
    newer: event([{ name: 'ref', type: 'int' }]),
    backward: false, forward: false, path: 'Evt.ref', avsc: true,
  },
  {
    title: 'enum symbol added, reader without default',
    older: event([{ name: 'status', type: status(['OPEN', 'CLOSED']) }]),
    newer: event([{ name: 'status', type: status(['OPEN', 'CLOSED', 'ON_HOLD']) }]),
    backward: true, forward: false, path: 'Evt.status', avsc: true,
  },
  {
    title: 'enum symbol added, both with default',
    older: event([{ name: 'status', type: status(['OPEN', 'CLOSED', 'UNKNOWN'], 'UNKNOWN') }]),
    newer: event([{ name: 'status', type: status(['OPEN', 'CLOSED', 'ON_HOLD', 'UNKNOWN'], 'UNKNOWN') }]),
    backward: true, forward: true, avsc: true,
  },
  {
    title: 'enum symbol removed',
    older: event([{ name: 'status', type: status(['OPEN', 'CLOSED', 'ON_HOLD']) }]),
    newer: event([{ name: 'status', type: status(['OPEN', 'CLOSED']) }]),
    backward: false, forward: true, path: 'Evt.status', avsc: true,
  },
  {
    title: 'nullable field made required',
    older: event([{ name: 'dueDate', type: ['null', 'string'], default: null }]),
    newer: event([{ name: 'dueDate', type: 'string' }]),
    backward: false, forward: true, path: 'Evt.dueDate', avsc: true,
  },
  {
    title: 'required field made nullable',
    older: event([{ name: 'dueDate', type: 'string' }]),
    newer: event([{ name: 'dueDate', type: ['null', 'string'], default: null }]),
    backward: true, forward: false, path: 'Evt.dueDate', avsc: true,
  },
  {
    title: 'union branch added',
    older: event([{ name: 'value', type: ['null', 'string'] }]),
    newer: event([{ name: 'value', type: ['null', 'string', 'long'] }]),
    backward: true, forward: false, path: 'Evt.value', avsc: true,
  },
  {
    title: 'array item field type changed',
    older: event([{ name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'qty', type: 'long' }] } } }]),
    newer: event([{ name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'qty', type: 'string' }] } } }]),
    backward: false, forward: false, path: 'Evt.lines[].qty', avsc: true,
  },
  {
    title: 'map values changed',
    older: event([{ name: 'attributes', type: { type: 'map', values: 'string' } }]),
    newer: event([{ name: 'attributes', type: { type: 'map', values: 'long' } }]),
    backward: false, forward: false, path: 'Evt.attributes{}', avsc: true,
  },
  {
    title: 'array became map',
    older: event([{ name: 'tags', type: { type: 'array', items: 'string' } }]),
    newer: event([{ name: 'tags', type: { type: 'map', values: 'string' } }]),
    backward: false, forward: false, path: 'Evt.tags', avsc: true,
  },
  {
    title: 'nested record renamed without alias',
    older: event([{ name: 'party', type: { type: 'record', name: 'Party', fields: [id] } }]),
    newer: event([{ name: 'party', type: { type: 'record', name: 'Counterparty', fields: [id] } }]),
    backward: false, forward: false, path: 'Evt.party', avsc: true,
  },
  {
    title: 'nested record renamed with alias',
    older: event([{ name: 'party', type: { type: 'record', name: 'Party', fields: [id] } }]),
    newer: event([{ name: 'party', type: { type: 'record', name: 'Counterparty', aliases: ['Party'], fields: [id] } }]),
    backward: true, forward: false, path: 'Evt.party', avsc: true,
  },
  {
    title: 'field renamed with field alias',
    older: event([{ name: 'supplierNo', type: 'string' }]),
    newer: event([{ name: 'supplierId', type: 'string', aliases: ['supplierNo'] }]),
    backward: true, forward: false, path: 'Evt.supplierNo', avsc: true,
  },
  {
    title: 'fixed size changed',
    older: event([{ name: 'hash', type: { type: 'fixed', name: 'Hash', size: 16 } }]),
    newer: event([{ name: 'hash', type: { type: 'fixed', name: 'Hash', size: 32 } }]),
    backward: false, forward: false, path: 'Evt.hash', avsc: true,
  },
  {
    title: 'decimal scale changed in a nested money field',
    older: event([{ name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'unitPrice', type: money(4) }] } } }]),
    newer: event([{ name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'unitPrice', type: money(6) }] } } }]),
    backward: false, forward: false, path: 'Evt.lines[].unitPrice.amount', avsc: false,
  },
  {
    title: 'logical type added to a long',
    older: event([{ name: 'at', type: 'long' }]),
    newer: event([{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }]),
    backward: false, forward: false, path: 'Evt.at', avsc: false,
  },
];

function avscCanRead(reader: Json, writer: Json): boolean {
  const options = (): Partial<avro.ForSchemaOptions> => ({ wrapUnions: false });
  try {
    avro.Type.forSchema(reader as avro.Schema, options()).createResolver(avro.Type.forSchema(writer as avro.Schema, options()));
    return true;
  } catch {
    return false;
  }
}

describe('checkCompatibility', () => {
  const older = (c: Case): VersionedSchema => version(c.older, 1);
  const newer = (c: Case): VersionedSchema => version(c.newer, 2);
  const expectations: ReadonlyArray<[CompatibilityMode, (c: Case) => boolean]> = [
    ['BACKWARD', (c) => c.backward],
    ['FORWARD', (c) => c.forward],
    ['FULL', (c) => c.backward && c.forward],
  ];

  for (const c of CASES) {
    for (const [mode, expected] of expectations) {
      it(`${c.title}: ${mode} ${expected(c) ? 'passes' : 'fails'}`, () => {
        const issues = checkCompatibility(newer(c), older(c), mode);
        if (expected(c)) {
          expect(issues).toEqual([]);
          return;
        }
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues) {
          expect(issue.path).toBe(c.path);
          expect(issue.message).toContain(c.path);
          expect(issue.message).toContain('Evt v1 (schemas/events/test/Evt.v1.avsc)');
          expect(issue.message).toContain('Evt v2 (schemas/events/test/Evt.v2.avsc)');
        }
      });
    }
  }

  describe('agrees with avsc createResolver', () => {
    for (const c of CASES.filter((x) => x.avsc)) {
      it(c.title, () => {
        expect(checkCompatibility(newer(c), older(c), 'BACKWARD').length === 0).toBe(avscCanRead(c.newer, c.older));
        expect(checkCompatibility(newer(c), older(c), 'FORWARD').length === 0).toBe(avscCanRead(c.older, c.newer));
      });
    }
  });

  it('says which direction broke and why', () => {
    const [added] = checkCompatibility(version(event([id, { name: 'x', type: 'string' }]), 2), version(event([id]), 1), 'BACKWARD');
    expect(added?.message).toMatch(/^BACKWARD \(new readers must read old data\): Evt v2 .* cannot read data written with Evt v1 .*: Evt\.x: field 'x' was added without a default/);
    const [removed] = checkCompatibility(version(event([id]), 2), version(event([id, { name: 'x', type: 'string' }]), 1), 'FORWARD');
    expect(removed?.message).toMatch(/^FORWARD \(old readers must read new data\): Evt v1 .* cannot read data written with Evt v2 .*: Evt\.x: field 'x' was removed/);
  });

  it('NONE accepts anything', () => {
    expect(checkCompatibility(version(event([{ name: 'a', type: 'int' }]), 2), version(event([{ name: 'a', type: 'string' }]), 1), 'NONE')).toEqual([]);
  });

  it('handles recursive records', () => {
    const tree = (extra: Json[]): Json => ({ type: 'record', name: 'Node', fields: [{ name: 'children', type: { type: 'array', items: 'Node' } }, ...extra] });
    expect(checkCompatibility(version(tree([{ name: 'label', type: ['null', 'string'], default: null }]), 2), version(tree([]), 1), 'FULL')).toEqual([]);
    const issues = checkCompatibility(version(tree([{ name: 'label', type: 'string' }]), 2), version(tree([]), 1), 'BACKWARD');
    expect(issues.map((i) => i.path)).toEqual(['Node.label']);
  });
});

describe('checkNewVersion', () => {
  // v2 adds x with a default, v3 drops the default: fine against v2 (which always wrote x), not against v1.
  const v1 = version(event([id]), 1);
  const v2 = version(event([id, { name: 'x', type: 'string', default: 'n/a' }]), 2);
  const v3 = version(event([id, { name: 'x', type: 'string' }]), 3);

  it('non-transitive modes compare with the previous version only', () => {
    expect(checkNewVersion(v3, [v1, v2], 'BACKWARD')).toEqual([]);
  });

  it('transitive modes compare with every earlier version and name the one that breaks', () => {
    const issues = checkNewVersion(v3, [v1, v2], 'BACKWARD_TRANSITIVE');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('Evt.x');
    expect(issues[0]?.message).toContain('written with Evt v1');
  });
});
