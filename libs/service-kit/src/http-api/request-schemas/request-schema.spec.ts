import { z } from 'zod/v4';
import { schemaProblems } from '@finmesh/contracts';
import { jsonSchemaOf, NO_PARAMETERS_SCHEMA, writesWithoutBodySchema } from './request-schema';

/** A write body with a bounded name, a kind and at least one line. */
const ORDER = z.looseObject({ number: z.string().max(5), kind: z.enum(['A', 'B']), lines: z.array(z.looseObject({})).min(1) });

describe('request schemas', () => {
  it('takes no body or {} where a write has no parameters, and nothing else', () => {
    expect(schemaProblems(NO_PARAMETERS_SCHEMA, undefined)).toEqual([]);
    expect(schemaProblems(NO_PARAMETERS_SCHEMA, {})).toEqual([]);
    expect(schemaProblems(NO_PARAMETERS_SCHEMA, { force: true })).toHaveLength(1);
  });

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
