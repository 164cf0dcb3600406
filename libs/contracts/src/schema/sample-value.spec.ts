import { sampleValue } from './sample-value';

const schema = {
  type: 'record',
  name: 'S',
  fields: [
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 19, scale: 4 } },
    { name: 'on', type: { type: 'int', logicalType: 'date' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'tags', type: { type: 'array', items: 'string' } },
  ],
};

describe('sampleValue', () => {
  it('raw mode: what avsc reads without logical types', () => {
    expect(sampleValue(schema, 'raw')).toEqual({
      price: Buffer.from([0x01, 0xe8, 0x48]), // 125000 = 12.5000 at scale 4
      on: 20395,
      at: Date.UTC(2025, 10, 3, 9, 30),
      note: 'sample S.note',
      tags: ['sample S.tags[]'],
    });
  });

  it('logical mode: the shapes of the generated TypeScript types', () => {
    expect(sampleValue(schema, 'logical')).toEqual({
      price: '12.5000',
      on: '2025-11-03',
      at: new Date(Date.UTC(2025, 10, 3, 9, 30)),
      note: 'sample S.note',
      tags: ['sample S.tags[]'],
    });
  });
});
