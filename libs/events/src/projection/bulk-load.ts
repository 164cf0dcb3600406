import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdentifier } from '../sql/sql-executor';
import { qualified, type Cell, type Row, type TableSpec } from './read-model-table';

/** Rows per chunk handed to the COPY stream (bounded memory, few stream writes). */
const ROWS_PER_CHUNK = 2_000;

/**
 * Loads rows with COPY FROM STDIN (text format), the fastest way into PostgreSQL: a rebuild writes
 * hundreds of thousands of rows per second this way, against tens of thousands with INSERTs.
 * `options` are COPY options such as `FREEZE` (allowed when the table was created or truncated in
 * the same transaction).
 */
export async function bulkLoad(client: PoolClient, schema: string, spec: TableSpec, rows: Iterable<Row>, options: readonly string[] = []): Promise<number> {
  const columns = spec.columns.map((c) => quoteIdentifier(c.name)).join(', ');
  const line = copyLineEncoder(spec);
  const withOptions = options.length > 0 ? ` WITH (${options.join(', ')})` : '';
  const copy = client.query(copyFrom(`COPY ${qualified(schema, spec.name)} (${columns}) FROM STDIN${withOptions}`));
  let count = 0;
  function* chunks(): Generator<string> {
    let chunk = '';
    let inChunk = 0;
    for (const row of rows) {
      chunk += line(row);
      count++;
      if (++inChunk >= ROWS_PER_CHUNK) {
        yield chunk;
        chunk = '';
        inChunk = 0;
      }
    }
    if (inChunk > 0) yield chunk;
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), copy);
  return count;
}

type LineEncoder = (row: Row) => string;
const ENCODERS = new WeakMap<TableSpec, LineEncoder>();

/**
 * The COPY text line of a row of `spec` (tab-separated, newline-terminated). Compiled once per
 * table into straight-line code with one named property read per column: reading `row[name]` in
 * a loop makes V8's property lookup generic (megamorphic), which was the largest cost of a
 * rebuild's COPY phase. Column names are embedded as JSON string literals, never as code.
 */
export function copyLineEncoder(spec: TableSpec): LineEncoder {
  let encoder = ENCODERS.get(spec);
  if (!encoder) {
    // Only text columns can hold characters COPY must escape; numbers, dates and flags never do.
    const cells = spec.columns.map((c) => `${c.type === 'text' ? 'text' : 'plain'}(row[${JSON.stringify(c.name)}])`);
    const body = `return ${cells.join(" + '\\t' + ")} + '\\n';`;
    const compiled = new Function('text', 'plain', `return function copyLine(row) { ${body} };`) as (
      text: (v: Cell | undefined) => string,
      plain: (v: Cell | undefined) => string,
    ) => LineEncoder;
    encoder = compiled(copyText, plainCopyText);
    ENCODERS.set(spec, encoder);
  }
  return encoder;
}

function plainCopyText(value: Cell | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** COPY text format: \N is NULL; backslash, tab, newline and carriage return are escaped. */
export function copyText(value: Cell | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const s = String(value);
  return NEEDS_ESCAPE.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}
