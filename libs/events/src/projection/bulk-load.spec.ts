import { copyText } from './bulk-load';

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
