import { z } from 'zod/v4';
import { requestSchemaProblems } from './request-schema-problems';
import { jsonSchemaOf, NO_PARAMETERS_SCHEMA, writesWithoutBodySchema } from './request-schema';

const ORDER = z.looseObject({
  number: z.string().max(5),
  kind: z.enum(['A', 'B']),
  lines: z.array(z.looseObject({ quantity: z.int().nonnegative(), secret: z.string().regex(/^\d+$/) })).min(1),
});

describe('requestSchemaProblems', () => {
  it('is empty for a body that fits', () => {
    expect(requestSchemaProblems(ORDER, { number: 'N1', kind: 'A', lines: [{ quantity: 1, secret: '42' }], extra: true })).toEqual([]);
  });

  it('lists every problem with its path, in the mappers wording', () => {
    expect(requestSchemaProblems(ORDER, { number: 'N123456', kind: 'C', lines: [{ quantity: -1 }, { quantity: 'x', secret: '1' }] })).toEqual([
      { path: 'number', reason: 'must be at most 5 characters long' },
      { path: 'kind', reason: 'must be one of A, B' },
      { path: 'lines[0].quantity', reason: 'must be at least 0' },
      { path: 'lines[0].secret', reason: 'is required' },
      { path: 'lines[1].quantity', reason: 'must be a number' },
    ]);
  });

  it('names the body itself $ and never quotes a value', () => {
    expect(requestSchemaProblems(ORDER, [1, 2])).toEqual([{ path: '$', reason: 'must be an object' }]);
    const problems = requestSchemaProblems(ORDER, { number: 'N1', kind: 'A', lines: [{ quantity: 1, secret: 'DE89370400440532013000' }] });
    expect(problems).toEqual([{ path: 'lines[0].secret', reason: 'must be in the documented format' }]);
    expect(JSON.stringify(problems)).not.toContain('DE89');
  });

  it('keeps a reason the schema gives itself', () => {
    expect(requestSchemaProblems(z.object({ iban: z.string().refine(() => false, { error: 'is not a valid IBAN' }) }), { iban: 'x' })).toEqual([{ path: 'iban', reason: 'is not a valid IBAN' }]);
  });

  it('takes no body or {} where a write has no parameters, and nothing else', () => {
    expect(requestSchemaProblems(NO_PARAMETERS_SCHEMA, undefined)).toEqual([]);
    expect(requestSchemaProblems(NO_PARAMETERS_SCHEMA, {})).toEqual([]);
    expect(requestSchemaProblems(NO_PARAMETERS_SCHEMA, { force: true })).toHaveLength(1);
  });
});

describe('request schemas in the OpenAPI document', () => {
  it('emit JSON Schema without the dialect line', () => {
    const schema = jsonSchemaOf(ORDER);
    expect(schema).not.toHaveProperty('$schema');
    expect(schema).toMatchObject({ type: 'object', required: ['number', 'kind', 'lines'], properties: { number: { type: 'string', maxLength: 5 }, kind: { enum: ['A', 'B'] } } });
  });

  it('finds the writes that declare no body', () => {
    const document = {
      paths: {
        '/v1/a': { post: { requestBody: {} }, get: {} },
        '/v1/b': { put: {} },
        '/v1/c': { get: {} },
      },
    };
    expect(writesWithoutBodySchema(document)).toEqual(['PUT /v1/b']);
  });
});
