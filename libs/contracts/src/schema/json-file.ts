import * as fs from 'node:fs';
import type { JsonValue } from './avro-json';

export type JsonReadResult = { ok: true; value: JsonValue } | { ok: false; message: string };

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return { line, column };
}

/**
 * Parses a JSON file and, on a syntax error, says where: V8 reports a character offset for most
 * errors, which is useless to a person editing the file, so it is turned into line:column.
 */
export function readJsonFile(file: string): JsonReadResult {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, message: `cannot read file: ${(err as Error).message}` };
  }
  return parseJsonText(text);
}

export function parseJsonText(text: string): JsonReadResult {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    if (at?.[1] !== undefined) {
      const { line, column } = lineAndColumn(text, Number(at[1]));
      return { ok: false, message: `JSON syntax error at line ${line}, column ${column}: ${message}` };
    }
    if (/Unexpected end of JSON input/.test(message)) {
      const { line, column } = lineAndColumn(text, text.length);
      return { ok: false, message: `JSON syntax error at line ${line}, column ${column} (end of file): ${message}` };
    }
    return { ok: false, message: `JSON syntax error: ${message}` };
  }
}
