import type { EventName } from '../topics/topic-catalog';
import type { JsonObject } from './avro-json';
import { loadSchemaCatalog, type EventSchemaVersion, type SchemaCatalog } from './schema-catalog';
import { GENERATED_HEADER, generateTypeScript } from './typescript-generator';

const catalog = loadSchemaCatalog();

/** The real catalog with some events' newest schema replaced. */
function withLatest(overrides: Partial<Record<EventName, (schema: JsonObject) => JsonObject>>): SchemaCatalog {
  return {
    ...catalog,
    latest: (name: EventName): EventSchemaVersion => {
      const real = catalog.latest(name);
      const override = overrides[name];
      return override ? { ...real, schema: override(JSON.parse(JSON.stringify(real.schema)) as JsonObject) } : real;
    },
  };
}

function addFields(fields: JsonObject[]): (schema: JsonObject) => JsonObject {
  return (schema) => ({ ...schema, fields: [...(schema['fields'] as JsonObject[]), ...fields] });
}

describe('generateTypeScript', () => {
  const output = generateTypeScript(catalog);

  it('is deterministic and starts with the generated-file header', () => {
    expect(generateTypeScript(catalog)).toBe(output);
    expect(output.startsWith(GENERATED_HEADER)).toBe(true);
    expect(output).toContain('do not edit');
    expect(output).not.toMatch(/\t/);
  });

  it('maps logical types to the codec shapes', () => {
    expect(output).toMatch(/export interface Money \{\n[^}]*Decimal\(19,4\) as a canonical decimal string[^}]*\n {2}amount: string;/);
    expect(output).toMatch(/ {2}occurredAt: Date;/);
    expect(output).toMatch(/Calendar date 'YYYY-MM-DD'\.\n {3}\*\/\n {2}invoiceDate: string;/);
    expect(output).toContain('  dueDate: string | null;');
    expect(output).toContain('  externalIds: Record<string, string>;');
    expect(output).toContain('  lines: LineItem[];');
    expect(output).toContain('  remitToAddress: Address | null;');
    expect(output).toContain("export type SourcePlatform = 'PROCUREMENT' | 'AP_AUTOMATION' | 'ERP' | 'FINMESH' | 'UNKNOWN';");
  });

  it('emits the precision and scale of every decimal field, for the money module', () => {
    expect(output).toContain('export const DECIMAL_FIELDS = {');
    expect(output).toContain("  'Money.amount': { precision: 19, scale: 4 },");
    expect(output).toContain("  'UnitPrice.amount': { precision: 19, scale: 6 },");
    expect(output).toContain("  'LineItem.quantity': { precision: 19, scale: 4 },");
    expect(output).toContain("  'TaxLine.rate': { precision: 7, scale: 4 },");
    // Nullable decimals count too; non-decimal fields do not.
    expect(output).toContain("  'MatchLineResult.receivedQuantity': { precision: 19, scale: 4 },");
    expect(output).not.toContain("'Money.currency'");
    const out = generateTypeScript(
      withLatest({ PaymentConfirmed: addFields([{ name: 'fee', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 }], default: null, doc: 'f' }]) }),
    );
    expect(out).toContain("  'PaymentConfirmed.fee': { precision: 9, scale: 2 },");
  });

  it('has an interface per event, the event map and the union', () => {
    for (const v of catalog.versions) expect(output).toContain(`export interface ${v.name} {`);
    expect(output).toContain('export interface FinmeshEventMap {\n  SupplierUpserted: SupplierUpserted;');
    expect(output).toContain('export type FinmeshEvent = FinmeshEventMap[keyof FinmeshEventMap];');
    expect(output).toContain('Contract: schemas/events/invoice/InvoiceReceived.v1.avsc (v1, BACKWARD_TRANSITIVE).');
  });

  it('maps bytes, long, boolean, maps and multi-branch unions', () => {
    const out = generateTypeScript(
      withLatest({
        PaymentConfirmed: addFields([
          { name: 'blob', type: 'bytes', doc: 'b' },
          { name: 'sequence', type: 'long', doc: 's' },
          { name: 'flag', type: 'boolean', doc: 'f' },
          { name: 'either', type: ['null', 'string', 'long'], default: null, doc: 'e' },
          { name: 'counters', type: { type: 'map', values: ['null', 'long'] }, doc: 'c' },
          { name: 'matrix', type: { type: 'array', items: { type: 'array', items: 'int' } }, doc: 'm' },
        ]),
      }),
    );
    expect(out).toContain('  blob: Buffer;');
    expect(out).toContain('  sequence: number;');
    expect(out).toContain('  flag: boolean;');
    expect(out).toContain('  either: string | number | null;');
    expect(out).toContain('  counters: Record<string, number | null>;');
    expect(out).toContain('  matrix: Array<number[]>;');
  });

  it('prefixes names that collide across namespaces', () => {
    const lineResult = (doc: string): JsonObject => ({
      name: 'result',
      doc,
      type: { type: 'record', name: 'LineResult', doc, fields: [{ name: 'ok', type: 'boolean', doc: 'ok' }] },
    });
    const out = generateTypeScript(
      withLatest({ SupplierBlocked: addFields([lineResult('supplier')]), InvoiceMatched: addFields([lineResult('invoice')]) }),
    );
    expect(out).toContain('export interface SupplierLineResult {');
    expect(out).toContain('export interface InvoiceLineResult {');
    expect(out).toContain('  result: InvoiceLineResult;');
    expect(out).not.toContain('export interface LineResult {');
  });

  it('refuses one full name with two shapes', () => {
    const variant = (fields: JsonObject[]): JsonObject => ({
      name: 'extra',
      doc: 'x',
      type: { type: 'record', name: 'Extra', namespace: 'finmesh.common', doc: 'x', fields },
    });
    expect(() =>
      generateTypeScript(
        withLatest({
          SupplierBlocked: addFields([variant([{ name: 'a', type: 'string', doc: 'a' }])]),
          InvoiceMatched: addFields([variant([{ name: 'b', type: 'string', doc: 'b' }])]),
        }),
      ),
    ).toThrow(/finmesh\.common\.Extra is defined differently/);
  });
});
