import type * as avro from 'avsc';
import { localSchemaSource } from '../provisioning/contracts';
import { EventCodec } from './event-codec';
import { avroTypeFor } from './logical-types';
import { narrowSchema } from './narrowed-schema';

const MONEY = {
  type: 'record',
  name: 'Money',
  namespace: 'finmesh.common',
  fields: [
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 19, scale: 4 } },
    { name: 'currency', type: 'string' },
  ],
};
// Money is defined inside `taxLines`, which the narrowed reader drops, and referenced by `total`.
const SCHEMA = {
  type: 'record',
  name: 'Bill',
  namespace: 'finmesh.test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'note', type: 'string' },
    { name: 'taxLines', type: { type: 'array', items: { type: 'record', name: 'TaxLine', fields: [{ name: 'code', type: 'string' }, { name: 'amount', type: MONEY }] } } },
    { name: 'total', type: 'finmesh.common.Money' },
    { name: 'terms', type: ['null', { type: 'record', name: 'Terms', fields: [{ name: 'days', type: 'int' }, { name: 'code', type: 'string' }] }], default: null },
    { name: 'due', type: { type: 'int', logicalType: 'date' } },
  ],
} as unknown as avro.Schema;

const BILL = {
  id: 'B-1',
  note: 'long text nobody reads',
  taxLines: [{ code: 'VAT', amount: { amount: '19.0000', currency: 'EUR' } }],
  total: { amount: '119.0000', currency: 'EUR' },
  terms: { days: 30, code: 'N30' },
  due: '2026-02-28',
};

/** Encoded with the full schema, read into the narrowed one (what a rebuild does). */
function readNarrowed(paths: readonly string[]): Record<string, unknown> {
  const writer = avroTypeFor(SCHEMA);
  const reader = avroTypeFor(narrowSchema(SCHEMA, paths, 'Bill'));
  return reader.fromBuffer(writer.toBuffer(BILL), reader.createResolver(writer)) as Record<string, unknown>;
}

describe('narrowSchema', () => {
  it('keeps only the listed fields and still reads the full writer exactly', () => {
    expect(readNarrowed(['id', 'total.amount', 'terms.days', 'due'])).toEqual({ id: 'B-1', total: { amount: '119.0000' }, terms: { days: 30 }, due: '2026-02-28' });
  });

  it('moves a named type whose definition sat in a dropped field to its first kept use', () => {
    const narrowed = narrowSchema(SCHEMA, ['total'], 'Bill') as unknown as { fields: { name: string; type: unknown }[] };
    expect(narrowed.fields.map((f) => f.name)).toEqual(['total']);
    expect(narrowed.fields[0]?.type).toMatchObject({ type: 'record', name: 'finmesh.common.Money' });
    expect(readNarrowed(['total'])).toEqual({ total: { amount: '119.0000', currency: 'EUR' } });
  });

  it('passes through arrays and nullable unions, and keeps a named type once with the union of its uses', () => {
    expect(readNarrowed(['taxLines.amount.currency', 'total.amount'])).toEqual({
      taxLines: [{ amount: { amount: '19.0000', currency: 'EUR' } }],
      total: { amount: '119.0000', currency: 'EUR' },
    });
  });

  it('names a path that does not exist, or that goes on past a field without a record', () => {
    expect(() => narrowSchema(SCHEMA, ['total.amout'], 'finmesh.test.Bill')).toThrow("finmesh.test.Bill: field path 'total.amout' names 'amout', which is not a field there");
    expect(() => narrowSchema(SCHEMA, ['note.length'], 'finmesh.test.Bill')).toThrow("finmesh.test.Bill: field path 'note.length' goes on past 'note', which holds no record");
    expect(() => narrowSchema(SCHEMA, ['total..amount'], 'finmesh.test.Bill')).toThrow("field path 'total..amount' is not a path of record fields");
  });

  describe('EventCodec.narrowed', () => {
    const codec = EventCodec.create('http://127.0.0.1:9/never-called', localSchemaSource());

    it('checks every path when it is created, naming the event', () => {
      expect(() => codec.narrowed({ InvoiceMatched: ['invoiceId', 'matchTyp'] })).toThrow(/InvoiceMatched: field path 'matchTyp' names 'matchTyp', which is not a field there/);
    });

    it('refuses to encode, since its values are partial', async () => {
      await expect(codec.narrowed({ InvoiceMatched: ['invoiceId'] }).encode('InvoiceMatched', {})).rejects.toThrow(/decodes into narrowed reader schemas and cannot encode/);
    });
  });
});
