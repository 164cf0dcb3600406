import { copyLineEncoder, copyText, encodeLines } from './bulk-load';

describe('copyText (COPY text format)', () => {
  it('writes NULL as \\N and booleans as t/f', () => {
    expect(copyText(null)).toBe('\\N');
    expect(copyText(true)).toBe('t');
    expect(copyText(false)).toBe('f');
  });

  it('escapes backslash, tab, newline and carriage return so a value cannot split a row or column', () => {
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyText('Müller & Söhne "GmbH"')).toBe('Müller & Söhne "GmbH"');
  });

  it('keeps decimal strings exactly', () => {
    expect(copyText('1234.5000')).toBe('1234.5000');
    expect(copyText(42)).toBe('42');
  });
});

describe('copyLineEncoder', () => {
  const spec = {
    name: 't',
    primaryKey: ['id'],
    columns: [
      { name: 'id', type: 'text' as const },
      { name: 'amount', type: 'numeric' as const },
      { name: 'weird "name"\\', type: 'text' as const },
      { name: 'flag', type: 'boolean' as const },
      { name: 'n', type: 'int' as const },
    ],
  };

  it('writes one tab-separated, newline-terminated line per row, escaping only text columns', () => {
    const line = copyLineEncoder(spec);
    expect(line({ id: 'a\tb', amount: '10.5000', 'weird "name"\\': 'x\\y', flag: false, n: 3 })).toBe('a\\tb\t10.5000\tx\\\\y\tf\t3\n');
  });

  it('writes a missing or null cell as \\N', () => {
    expect(copyLineEncoder(spec)({ id: 'k', amount: null, flag: true })).toBe('k\t\\N\t\\N\tt\t\\N\n');
  });

  it('escapes whatever cell needs it, wherever it is in the line, and tells the text \\N from NULL', () => {
    const line = copyLineEncoder(spec);
    const clean = { id: 'k', amount: '1.00', 'weird "name"\\': 'plain', flag: true, n: 1 };
    expect(line(clean)).toBe('k\t1.00\tplain\tt\t1\n');
    for (const bad of ['a\tb', 'a\nb', 'a\rb', 'a\\b', '\\N', 'x\\N', '\\', '\n']) {
      expect(line({ ...clean, 'weird "name"\\': bad })).toBe(`k\t1.00\t${copyText(bad)}\tt\t1\n`);
      expect(line({ ...clean, id: bad })).toBe(`${copyText(bad)}\t1.00\tplain\tt\t1\n`);
    }
    expect(line({ ...clean, id: '\\N' })).toBe('\\\\N\t1.00\tplain\tt\t1\n');
    expect(line({ ...clean, id: null })).toBe('\\N\t1.00\tplain\tt\t1\n');
  });

  it('compiles once per table', () => {
    expect(copyLineEncoder(spec)).toBe(copyLineEncoder(spec));
  });
});

describe('encodeLines', () => {
  const line = (row: { [k: string]: string | number | boolean | null }) => `${String(row['v'])}\n`;
  const rows = (values: string[]) => values.map((v) => ({ v }));

  it('packs whole lines into chunks of at most the given size, in order, counting the lines of each', () => {
    const values = Array.from({ length: 50 }, (_, i) => `row-${i}`);
    const chunks = [...encodeLines(rows(values), line, 64)];
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.bytes.length).toBeLessThanOrEqual(64);
      expect(c.bytes.toString('utf8').endsWith('\n')).toBe(true);
      expect(c.bytes.toString('utf8').split('\n').length - 1).toBe(c.lines);
    }
    expect(chunks.map((c) => c.bytes.toString('utf8')).join('')).toBe(values.map((v) => `${v}\n`).join(''));
    expect(chunks.reduce((n, c) => n + c.lines, 0)).toBe(50);
  });

  it('encodes multi-byte characters as UTF-8 without splitting them across chunks', () => {
    const values = ['Müller', 'Søhne', '東京支店', '€ 100', 'Ω'];
    const chunks = [...encodeLines(rows(values), line, 32)];
    expect(Buffer.concat(chunks.map((c) => c.bytes)).toString('utf8')).toBe(values.map((v) => `${v}\n`).join(''));
  });

  it('gives a line longer than a chunk a buffer of its own', () => {
    const long = 'x'.repeat(100);
    const chunks = [...encodeLines(rows(['a', long, 'b']), line, 32)];
    expect(chunks.map((c) => [c.bytes.toString('utf8'), c.lines])).toEqual([
      ['a\n', 1],
      [`${long}\n`, 1],
      ['b\n', 1],
    ]);
  });

  it('yields nothing for no rows', () => {
    expect([...encodeLines([], line)]).toEqual([]);
  });
});
