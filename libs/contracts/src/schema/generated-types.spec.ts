import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeDifference, renderTypes, typesAreInSync, writeTypes } from './generated-types';

describe('generated types', () => {
  it('the checked-in libs/contracts/src/generated/events.ts is in sync with schemas/', () => {
    const result = typesAreInSync();
    expect(result.diff).toBeUndefined();
    expect(result.inSync).toBe(true);
  });

  it('writeTypes writes the rendered file and reports whether it changed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'finmesh-types-'));
    try {
      const generatedFile = path.join(dir, 'nested', 'events.ts');
      expect(typesAreInSync({ generatedFile })).toEqual({ inSync: false, diff: `${generatedFile} does not exist` });
      expect(writeTypes({ generatedFile })).toEqual({ file: generatedFile, changed: true });
      expect(fs.readFileSync(generatedFile, 'utf8')).toBe(renderTypes());
      expect(writeTypes({ generatedFile })).toEqual({ file: generatedFile, changed: false });
      expect(typesAreInSync({ generatedFile })).toEqual({ inSync: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describeDifference shows the first differing line with context', () => {
    const diff = describeDifference('a\nb\nc\nd', 'a\nb\nX\nd');
    expect(diff).toBe(['first difference at line 3 (expected 4 lines, found 4):', '  a', '  b', '- c', '- d', '+ X', '+ d'].join('\n'));
  });
});
