import { FieldReader, parseDecimal } from './field-reader';
import { MappingError, ProblemCollector } from './mapping-error';
import { parsePaymentTermsName } from './payment-terms';
import { nameBasedId } from './mapping-context';

describe('parseDecimal', () => {
  it.each([
    ['1250.5', 4, '1250.5000'],
    ['-3', 4, '-3.0000'],
    ['+0.125', 6, '0.125000'],
    ['-0.00', 4, '0.0000'],
    [140, 4, '140.0000'],
    [2212.75, 4, '2212.7500'],
    [0.1, 4, '0.1000'],
  ])('reads %p at scale %p as %p', (input, scale, expected) => {
    expect(parseDecimal(input, scale)).toEqual({ value: expected });
  });

  it.each([
    ['12,5', 'must be a decimal number, got "12,5"'],
    ['1e3', 'must be a decimal number, got "1e3"'],
    ['', 'must be a decimal number, got ""'],
    [true, 'must be a decimal number, got true'],
    ['1.23456', 'has 5 fraction digits, at most 4 allowed (no silent rounding), got "1.23456"'],
    ['1234567890123456.0', 'has 16 integer digits, at most 15 allowed, got "1234567890123456.0"'],
    [0.1 + 0.2, 'JSON number 0.30000000000000004 cannot be read exactly (more than 15 significant digits or an exponent); send it as a decimal string'],
    [1e21, 'JSON number 1e+21 cannot be read exactly (more than 15 significant digits or an exponent); send it as a decimal string'],
  ])('rejects %p', (input, reason) => {
    expect(parseDecimal(input, 4)).toEqual({ reason });
  });
});

describe('FieldReader', () => {
  it('collects every problem with its path instead of stopping at the first', () => {
    const problems = new ProblemCollector();
    const r = FieldReader.root({ a: { b: [{ price: '12,5' }, 'x'] }, d: '2025-02-30', c: 'eur' }, problems);
    const a = r?.object('a');
    a?.array('b').forEach((line) => line.decimal('price', 6));
    r?.date('d');
    r?.currency('c');
    r?.string('missing');
    expect(problems.problems).toEqual([
      { path: 'a.b[1]', reason: 'must be an object, got "x"' },
      { path: 'a.b[0].price', reason: 'must be a decimal number, got "12,5"' },
      { path: 'd', reason: 'must be an ISO date (YYYY-MM-DD), got "2025-02-30"' },
      { path: 'c', reason: 'must be an ISO 4217 currency code (3 upper-case letters), got "eur"' },
      { path: 'missing', reason: 'is required' },
    ]);
    expect(() => problems.throwIfAny('test payload')).toThrow(MappingError);
  });

  it('cuts timestamps to their date and requires an offset on timestamps', () => {
    const problems = new ProblemCollector();
    const r = FieldReader.root({ d: '2025-03-01T23:30:00-08:00', t: '2025-03-01T10:00:00' }, problems);
    expect(r?.date('d')).toBe('2025-03-01');
    expect(r?.timestamp('t')).toBeUndefined();
    expect(problems.problems[0]?.path).toBe('t');
  });
});

describe('payment terms names', () => {
  it.each([
    ['Net 30', { code: 'Net 30', netDays: 30, discountPercent: null, discountDays: null }],
    ['2/10 Net 30', { code: '2/10 Net 30', netDays: 30, discountPercent: '2.0000', discountDays: 10 }],
    ['2/10N30', { code: '2/10N30', netDays: 30, discountPercent: '2.0000', discountDays: 10 }],
    ['Immediate', { code: 'Immediate', netDays: 0, discountPercent: null, discountDays: null }],
    ['End of month + 15', undefined],
  ])('%s', (name, expected) => {
    expect(parsePaymentTermsName(name)).toEqual(expected);
  });
});

it('name-based ids are stable UUID v5', () => {
  const id = nameBasedId('supplier', '1013');
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(nameBasedId('supplier', '1013')).toBe(id);
  expect(nameBasedId('purchase-order', '1013')).not.toBe(id);
});
