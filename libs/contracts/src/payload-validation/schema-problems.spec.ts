import { z } from 'zod/v4';
import { schemaProblems } from './schema-problems';

const ORDER = z.looseObject({
  number: z.string().max(5),
  kind: z.enum(['A', 'B']),
  lines: z.array(z.looseObject({ quantity: z.int().nonnegative(), secret: z.string().regex(/^\d+$/) })).min(1),
});

describe('schemaProblems', () => {
  it('is empty for a body that fits', () => {
    expect(schemaProblems(ORDER, { number: 'N1', kind: 'A', lines: [{ quantity: 1, secret: '42' }], extra: true })).toEqual([]);
  });

  it('lists every problem with its path, in the mappers wording', () => {
    expect(schemaProblems(ORDER, { number: 'N123456', kind: 'C', lines: [{ quantity: -1 }, { quantity: 'x', secret: '1' }] })).toEqual([
      { path: 'number', reason: 'must be at most 5 characters long' },
      { path: 'kind', reason: 'must be one of A, B' },
      { path: 'lines[0].quantity', reason: 'must be at least 0' },
      { path: 'lines[0].secret', reason: 'is required' },
      { path: 'lines[1].quantity', reason: 'must be a number' },
    ]);
  });

  it('names the body itself $ and never quotes a value', () => {
    expect(schemaProblems(ORDER, [1, 2])).toEqual([{ path: '$', reason: 'must be an object' }]);
    const problems = schemaProblems(ORDER, { number: 'N1', kind: 'A', lines: [{ quantity: 1, secret: 'DE89370400440532013000' }] });
    expect(problems).toEqual([{ path: 'lines[0].secret', reason: 'must be in the documented format' }]);
    expect(JSON.stringify(problems)).not.toContain('DE89');
  });

  it('keeps a reason the schema gives itself', () => {
    expect(schemaProblems(z.object({ iban: z.string().refine(() => false, { error: 'is not a valid IBAN' }) }), { iban: 'x' })).toEqual([{ path: 'iban', reason: 'is not a valid IBAN' }]);
  });

});
