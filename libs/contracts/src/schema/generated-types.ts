import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SCHEMAS_DIR, loadSchemaCatalog } from './schema-catalog';
import { generateTypeScript } from './typescript-generator';

/** Where the generated event types live (imported by services through @finmesh/contracts). */
export const DEFAULT_GENERATED_FILE = path.resolve(__dirname, '..', 'generated', 'events.ts');

export interface TypesOptions {
  readonly schemasDir?: string;
  readonly generatedFile?: string;
}

export function renderTypes(options: TypesOptions = {}): string {
  return generateTypeScript(loadSchemaCatalog(options.schemasDir ?? DEFAULT_SCHEMAS_DIR));
}

/** Writes a generated file unless it already holds `content`; returns whether it changed. */
export function writeGeneratedFile(file: string, content: string): { file: string; changed: boolean } {
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (previous === content) return { file, changed: false };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return { file, changed: true };
}

/** Whether a checked-in generated file holds `expected` ('-' expected, '+' on disk). */
export function generatedFileInSync(file: string, expected: string): { inSync: boolean; diff?: string } {
  if (!fs.existsSync(file)) return { inSync: false, diff: `${file} does not exist` };
  const actual = fs.readFileSync(file, 'utf8');
  return actual === expected ? { inSync: true } : { inSync: false, diff: describeDifference(expected, actual) };
}

/** Regenerates the TypeScript event types from the schemas. */
export function writeTypes(options: TypesOptions = {}): { file: string; changed: boolean } {
  return writeGeneratedFile(options.generatedFile ?? DEFAULT_GENERATED_FILE, renderTypes(options));
}

/** A short, readable description of where two texts first differ (not a full diff). */
export function describeDifference(expected: string, actual: string, context = 2): string {
  const want = expected.split('\n');
  const have = actual.split('\n');
  let line = 0;
  while (line < want.length && line < have.length && want[line] === have[line]) line++;
  const from = Math.max(0, line - context);
  const out = [`first difference at line ${line + 1} (expected ${want.length} lines, found ${have.length}):`];
  for (let i = from; i < line; i++) out.push(`  ${want[i]}`);
  for (let i = line; i < Math.min(want.length, line + context + 1); i++) out.push(`- ${want[i]}`);
  for (let i = line; i < Math.min(have.length, line + context + 1); i++) out.push(`+ ${have[i]}`);
  return out.join('\n');
}

/** Whether the checked-in generated file is what the schemas generate ('-' expected, '+' on disk). */
export function typesAreInSync(options: TypesOptions = {}): { inSync: boolean; diff?: string } {
  return generatedFileInSync(options.generatedFile ?? DEFAULT_GENERATED_FILE, renderTypes(options));
}
