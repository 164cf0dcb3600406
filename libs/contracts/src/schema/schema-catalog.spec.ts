import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as avro from 'avsc';
import { EVENT_NAMES, recordFullName, topicForEvent } from '../topics/topic-catalog';
import { DEFAULT_SCHEMAS_DIR, loadSchemaCatalog } from './schema-catalog';
import { SchemaContractError } from './schema-errors';
import { sampleValue } from './sample-value';

function copySchemas(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmesh-schemas-'));
  fs.cpSync(DEFAULT_SCHEMAS_DIR, dir, { recursive: true });
  return dir;
}

function problemsOf(schemasDir: string): string[] {
  try {
    loadSchemaCatalog(schemasDir);
  } catch (err) {
    if (err instanceof SchemaContractError) return err.problems.map((p) => `${p.file}: ${p.message}`);
    throw err;
  }
  throw new Error('expected the catalog to be rejected');
}

function editJson(file: string, edit: (json: Record<string, unknown>) => void): void {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

const invoiceReceived = (dir: string): string => path.join(dir, 'events', 'invoice', 'InvoiceReceived.v1.avsc');

describe('loadSchemaCatalog on the repository contracts', () => {
  const catalog = loadSchemaCatalog();

  it('has a v1 for every event of the topic catalog, under its aggregate namespace', () => {
    for (const name of EVENT_NAMES) {
      const v1 = catalog.schemaFor(name, 1);
      expect(v1).toBeDefined();
      expect(v1?.fullName).toBe(recordFullName(name));
      expect(v1?.aggregate).toBe(topicForEvent(name).aggregate);
      expect(v1?.compatibility).toBe('BACKWARD_TRANSITIVE');
      expect(v1?.displayFile).toBe(`schemas/events/${topicForEvent(name).aggregate}/${name}.v1.avsc`);
    }
    // Every version from 1 to the latest, and nothing else (SupplierUpserted has a v2).
    const expected = EVENT_NAMES.flatMap((name) => Array.from({ length: catalog.latest(name).version }, (_, i) => `${name} v${i + 1}`));
    expect(catalog.versions.map((v) => `${v.name} v${v.version}`).sort()).toEqual(expected.sort());
    expect(catalog.latest('SupplierUpserted').version).toBe(2);
  });

  it.each(EVENT_NAMES)('%s: the self-contained schema parses with avsc and round-trips a sample value', (name) => {
    const schema = catalog.latestSchema(name);
    const type = avro.Type.forSchema(schema, { wrapUnions: false });
    const value = sampleValue(schema, 'raw');
    expect(type.isValid(value)).toBe(true);
    const bytes = type.toBuffer(value);
    const decoded: unknown = type.fromBuffer(bytes);
    expect(decoded).toEqual(value);
    expect(type.toBuffer(decoded).equals(bytes)).toBe(true);
  });

  it.each(EVENT_NAMES)('%s: envelope first, shared types inlined once, governance attribute stripped', (name) => {
    const { schema } = catalog.latest(name);
    const text = JSON.stringify(schema);
    const fields = schema['fields'] as Array<{ name: string; type: unknown }>;
    expect(fields[0]?.name).toBe('envelope');
    expect(fields[0]?.type).toMatchObject({ type: 'record', name: 'EventEnvelope', namespace: 'finmesh.common' });
    // Defined exactly once; any later use is by full name.
    expect(text.match(/"name":"EventEnvelope"/g)).toHaveLength(1);
    expect(text).not.toContain('finmesh.compatibility');
    expect(fields.some((f) => f.name === topicForEvent(name).key && f.type === 'string')).toBe(true);
  });

  it('defines Money once and refers to it by full name afterwards', () => {
    const text = JSON.stringify(catalog.latest('InvoiceReceived').schema);
    expect(text.match(/"name":"Money"/g)).toHaveLength(1);
    expect(text).toContain('"type":"finmesh.common.Money"');
  });

  it('keeps money and quantities decimal', () => {
    const text = JSON.stringify(catalog.versions.map((v) => v.schema));
    expect(text).not.toMatch(/"(float|double)"/);
    expect(text).toContain('{"type":"bytes","logicalType":"decimal","precision":19,"scale":4}');
  });
});

describe('loadSchemaCatalog rejects broken contracts with the file and the problem', () => {
  let dir: string;
  beforeEach(() => {
    dir = copySchemas();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('JSON syntax error: file, line and column', () => {
    const file = invoiceReceived(dir);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[3] = `${lines[3]},,`;
    fs.writeFileSync(file, lines.join('\n'));
    const problems = problemsOf(dir);
    expect(problems).toEqual([expect.stringMatching(/^schemas\/events\/invoice\/InvoiceReceived\.v1\.avsc: JSON syntax error at line 4, column \d+/)]);
  });

  it('unknown type reference: file, field path and type name', () => {
    editJson(invoiceReceived(dir), (json) => {
      (json['fields'] as Array<Record<string, unknown>>).push({ name: 'discount', type: 'finmesh.common.Monet', doc: 'x' });
    });
    expect(problemsOf(dir)).toContainEqual(
      expect.stringMatching(/InvoiceReceived\.v1\.avsc: InvoiceReceived\.discount refers to unknown type 'finmesh\.common\.Monet'/),
    );
  });

  it('float or double anywhere, including shared types, with advice to use decimal', () => {
    editJson(path.join(dir, 'common', 'finmesh.common.Money.avsc'), (json) => {
      (json['fields'] as Array<Record<string, unknown>>)[0] = { name: 'amount', type: 'double', doc: 'amount' };
    });
    editJson(invoiceReceived(dir), (json) => {
      (json['fields'] as Array<Record<string, unknown>>).push({ name: 'fxRate', type: ['null', 'float'], default: null, doc: 'x' });
    });
    const problems = problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/^schemas\/common\/finmesh\.common\.Money\.avsc: Money\.amount is declared as 'double'.*Use a decimal/));
    expect(problems).toContainEqual(expect.stringMatching(/InvoiceReceived\.v1\.avsc: InvoiceReceived\.fxRate is declared as 'float'.*decimal/));
  });

  it('file name not matching the record name or namespace', () => {
    editJson(invoiceReceived(dir), (json) => {
      json['namespace'] = 'finmesh.payment';
    });
    expect(problemsOf(dir)).toContainEqual(
      expect.stringMatching(/InvoiceReceived\.v1\.avsc: record is 'finmesh\.payment\.InvoiceReceived' but .* must define 'finmesh\.invoice\.InvoiceReceived'/),
    );
  });

  it('shared type whose file name does not match', () => {
    fs.renameSync(path.join(dir, 'common', 'finmesh.common.Address.avsc'), path.join(dir, 'common', 'finmesh.common.PostalAddress.avsc'));
    expect(problemsOf(dir)).toContainEqual(expect.stringMatching(/finmesh\.common\.PostalAddress\.avsc: defines 'finmesh\.common\.Address' but the file name says/));
  });

  it('version gap', () => {
    fs.copyFileSync(invoiceReceived(dir), path.join(dir, 'events', 'invoice', 'InvoiceReceived.v3.avsc'));
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/InvoiceReceived\.v3\.avsc: InvoiceReceived versions must be consecutive from v1: found v3 after v1/)]);
  });

  it('event that is not in EVENT_NAMES', () => {
    const file = path.join(dir, 'events', 'invoice', 'InvoiceDisputed.v1.avsc');
    fs.copyFileSync(invoiceReceived(dir), file);
    editJson(file, (json) => {
      json['name'] = 'InvoiceDisputed';
    });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/InvoiceDisputed\.v1\.avsc: 'InvoiceDisputed' is not an event of the topic catalog/)]);
  });

  it('event of EVENT_NAMES without a schema', () => {
    fs.rmSync(path.join(dir, 'events', 'payment', 'PaymentConfirmed.v1.avsc'));
    expect(problemsOf(dir)).toEqual(['schemas/events/payment/PaymentConfirmed.v1.avsc: event PaymentConfirmed is in EVENT_NAMES but has no schema']);
  });

  it('envelope not first, undocumented field, unknown compatibility mode', () => {
    editJson(invoiceReceived(dir), (json) => {
      const fields = json['fields'] as Array<Record<string, unknown>>;
      json['fields'] = [...fields.slice(1), { ...fields[0], doc: undefined }];
      json['finmesh.compatibility'] = 'SIDEWAYS';
    });
    const problems = problemsOf(dir).join('\n');
    expect(problems).toContain('"finmesh.compatibility": "SIDEWAYS" is not one of');
    editJson(invoiceReceived(dir), (json) => {
      delete json['finmesh.compatibility'];
    });
    const again = problemsOf(dir).join('\n');
    expect(again).toContain('field InvoiceReceived.envelope has no "doc"');
    expect(again).toContain('the first field of every event must be "envelope"');
  });

  it('invalid Avro reported by avsc, with the file', () => {
    editJson(invoiceReceived(dir), (json) => {
      (json['fields'] as Array<Record<string, unknown>>).push({ name: 'channel', type: { type: 'enum', name: 'Channel', symbols: ['EMAIL', 'EMAIL'], doc: 'x' }, doc: 'x' });
    });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/^schemas\/events\/invoice\/InvoiceReceived\.v1\.avsc: not valid Avro: .*EMAIL/)]);
  });
});
