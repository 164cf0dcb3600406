import { copyLineEncoder, copyText } from './bulk-load';

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

  it('compiles once per table', () => {
    expect(copyLineEncoder(spec)).toBe(copyLineEncoder(spec));
  });
});
