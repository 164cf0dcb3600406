import { avroTypeFor, isoDateToEpochDays } from './logical-types';
import { validateAgainstSchema } from './schema-validation';
import { frame, unframe } from './wire-format';
import { MalformedWireFormatError } from './codec-errors';

const schema = {
  type: 'record',
  name: 'Sample',
  namespace: 'finmesh.test',
  fields: [
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 19, scale: 4 } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'on', type: { type: 'int', logicalType: 'date' } },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['OPEN', 'CLOSED'] } },
  ],
};

const valid = {
  id: '3b2f1f9e-8a4c-4d6e-9f00-1234567890ab',
  amount: '-1250.5',
  at: new Date('2026-03-31T23:59:59.123Z'),
  on: '2024-02-29',
  note: null,
  status: 'OPEN',
};

describe('finmesh logical types', () => {
  const type = avroTypeFor(schema);

  it('round-trips decimals as canonical strings, timestamps as Dates and dates as ISO strings', () => {
    const back = type.fromBuffer(type.toBuffer(valid)) as typeof valid;
    expect(back).toEqual({ ...valid, amount: '-1250.5000' });
    expect(back.at).toBeInstanceOf(Date);
  });

  it('reads values of another schema version through schema resolution with the same logical values', () => {
    // A newer writer with one more field: the schemas differ, so decoding goes through a resolver.
    const writer = avroTypeFor({ ...schema, fields: [...schema.fields, { name: 'added', type: 'string', default: '' }] });
    const back = type.fromBuffer(writer.toBuffer({ ...valid, added: 'x' }), type.createResolver(writer)) as typeof valid;
    expect(back).toEqual({ ...valid, amount: '-1250.5000' });
    expect(back.at).toBeInstanceOf(Date);
  });

  it('reads the logical types from writers that wrote the plain underlying type', () => {
    const plain = avroTypeFor({
      ...schema,
      fields: schema.fields.map((f) => (f.name === 'at' ? { name: 'at', type: 'long' } : f.name === 'on' ? { name: 'on', type: 'int' } : f)),
    });
    const bytes = plain.toBuffer({ ...valid, at: valid.at.getTime(), on: isoDateToEpochDays(valid.on) });
    const back = type.fromBuffer(bytes, type.createResolver(plain)) as typeof valid;
    expect(back.at).toEqual(valid.at);
    expect(back.on).toBe('2024-02-29');
  });

  it('reads decimals in place at every width, directly and through a resolver', () => {
    const writer = avroTypeFor({ ...schema, fields: [...schema.fields, { name: 'added', type: 'string', default: '' }] });
    const resolver = type.createResolver(writer);
    // 0 (one byte), small, 6 bytes (the plain-number limit), 7+ bytes (BigInt), negative, maximum precision.
    for (const amount of ['0.0000', '-0.0001', '12.3400', '-14073748835.5328', '14073748835.5327', '-1250.5000', '123456789012345.6789', '-999999999999999.9999']) {
      expect((type.fromBuffer(type.toBuffer({ ...valid, amount })) as typeof valid).amount).toBe(amount);
      expect((type.fromBuffer(writer.toBuffer({ ...valid, amount, added: 'x' }), resolver) as typeof valid).amount).toBe(amount);
    }
  });

  it('refuses a record cut off inside a decimal instead of reading past its end', () => {
    const amountOnly = avroTypeFor({ type: 'record', name: 'Amount', namespace: 'finmesh.test', fields: [schema.fields[1] as object] });
    const bytes = amountOnly.toBuffer({ amount: '123456789012345.6789' });
    expect(() => amountOnly.fromBuffer(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
    // A negative length (zig-zag 1 is -1) is invalid too.
    expect(() => amountOnly.fromBuffer(Buffer.from([1]))).toThrow(/truncated/);
  });

  it('names every bad field with the reason', () => {
    const problems = validateAgainstSchema(type, {
      ...valid,
      id: 'not-a-uuid',
      amount: 12.5,
      on: '2025-02-30',
      status: 'PENDING',
      extra: 1,
    });
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath['id']).toMatch(/expected a UUID/);
    expect(byPath['amount']).toMatch(/never a float/);
    expect(byPath['on']).toMatch(/calendar date/);
    expect(byPath['status']).toMatch(/one of OPEN, CLOSED/);
    expect(byPath['(root)']).toMatch(/not in the contract: extra/);
  });

  it('reports a missing required field as missing', () => {
    const { amount: _omit, ...missing } = valid;
    expect(validateAgainstSchema(type, missing)).toEqual([
      { path: 'amount', message: expect.stringMatching(/required field is missing/) },
    ]);
  });

  it('refuses impossible calendar dates instead of rolling them over', () => {
    expect(isoDateToEpochDays('2025-02-29')).toBeUndefined();
    expect(isoDateToEpochDays('2024-02-29')).toBe(19782);
    expect(isoDateToEpochDays('1970-01-01')).toBe(0);
  });
});

describe('wire format', () => {
  it('frames and unframes magic byte, schema id and body', () => {
    const framed = frame(4242, Buffer.from([1, 2, 3]));
    expect(framed.subarray(0, 5).toString('hex')).toBe('0000001092');
    expect(unframe(framed)).toEqual({ schemaId: 4242, body: Buffer.from([1, 2, 3]) });
  });

  it.each([
    [Buffer.alloc(0), /empty/],
    [Buffer.from([0, 0, 1]), /shorter than the 5-byte/],
    [Buffer.from('{"json":true}'), /magic byte is 123/],
  ])('refuses %p with a descriptive error', (bytes, message) => {
    expect(() => unframe(bytes)).toThrow(MalformedWireFormatError);
    expect(() => unframe(bytes)).toThrow(message);
  });
});
