import { jsonInputProblems } from './json-input-limits';

describe('shared JSON input limits', () => {
  const limits = { maxDepth: 3, maxStringLength: 5, maxArrayLength: 2, maxProblems: 10 };

  it('accepts ordinary values, tabs and line breaks included', () => {
    expect(jsonInputProblems({ a: 'ab\tc', b: [1, { c: 'x\ny' }], d: null, e: true }, limits)).toEqual([]);
  });

  it('names every breach in document order, with its path', () => {
    expect(jsonInputProblems({ name: 'toolong', lines: [{ x: 'a' }, 2, 3], ok: { deep: { dd: { x: 1 } } }, 'a b': 'c\u0000' }, limits)).toEqual([
      { path: 'name', reason: 'is 7 characters long; at most 5 are accepted' },
      { path: 'lines', reason: 'has 3 elements; at most 2 are accepted' },
      { path: 'ok.deep.dd', reason: 'is nested 4 levels deep; at most 3 are accepted' },
      { path: '"a b"', reason: 'contains a control character (U+0000 at position 1), which no text field accepts' },
    ]);
  });

  it('names a control character in a key and a string at the top level', () => {
    expect(jsonInputProblems({ 'a\u0001': 1 }, limits)).toEqual([{ path: '"a\\u0001"', reason: 'is not an acceptable field name (control characters or too long)' }]);
    expect(jsonInputProblems('x\u007F', limits)).toEqual([{ path: '$', reason: 'contains a control character (U+007F at position 1), which no text field accepts' }]);
  });

  it('walks 100,000 levels without overflowing, and stops at maxProblems', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(jsonInputProblems(deep, limits)).toHaveLength(1);
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'x'.repeat(9)]));
    expect(jsonInputProblems(many, limits)).toHaveLength(10);
  });
});
