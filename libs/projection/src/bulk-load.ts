import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { quoteIdentifier } from '@finmesh/persistence';
import { qualified, type Cell, type Row, type TableSpec } from './read-model-table';

/**
 * Bytes per chunk handed to the COPY stream. Lines are encoded straight into buffers of this size:
 * building one large string per chunk instead made V8 flatten and then re-encode it, in memory
 * fresh from the OS each time (large objects), which was most of the COPY phase's CPU in the
 * rebuild benchmark. 64 KiB stays below malloc's mmap threshold, so chunk memory is reused.
 */
const CHUNK_BYTES = 64 * 1024;

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
  function* chunks(): Generator<Buffer> {
    for (const chunk of encodeLines(rows, line)) {
      count += chunk.lines;
      yield chunk.bytes;
    }
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), copy);
  return count;
}

type LineEncoder = (row: Row) => string;

/**
 * The COPY lines of `rows` as UTF-8 buffers of at most {@link CHUNK_BYTES} (a longer line gets a
 * buffer of its own), each with the number of lines in it.
 */
export function* encodeLines(rows: Iterable<Row>, line: LineEncoder, chunkBytes = CHUNK_BYTES): Generator<{ bytes: Buffer; lines: number }> {
  let buffer = Buffer.allocUnsafeSlow(chunkBytes);
  let used = 0;
  let lines = 0;
  for (const row of rows) {
    const text = line(row);
    // Up to 3 UTF-8 bytes per UTF-16 code unit: a line that might not fit starts a new chunk.
    const worst = text.length * 3;
    if (used + worst > chunkBytes) {
      if (lines > 0) {
        yield { bytes: buffer.subarray(0, used), lines };
        buffer = Buffer.allocUnsafeSlow(chunkBytes);
        used = 0;
        lines = 0;
      }
      if (worst > chunkBytes) {
        yield { bytes: Buffer.from(text, 'utf8'), lines: 1 };
        continue;
      }
    }
    used += buffer.write(text, used, 'utf8');
    lines++;
  }
  if (lines > 0) yield { bytes: buffer.subarray(0, used), lines };
}

const ENCODERS = new WeakMap<TableSpec, LineEncoder>();

/**
 * The COPY text line of a row of `spec` (tab-separated, newline-terminated). Compiled once per
 * table into straight-line code with one named property read per column: reading `row[name]` in
 * a loop makes V8's property lookup generic (megamorphic), which was the largest cost of a
 * rebuild's COPY phase. Column names are embedded as JSON string literals, never as code.
 *
 * Text cells almost never hold a character COPY must escape, so the line is first built from the
 * raw values and checked once, as a whole, by a pattern that accepts only the right number of
 * cells, each NULL or free of backslash, tab, newline and carriage return. Only a line that fails
 * is built again with every text cell escaped. (Testing each cell instead was most of the time the
 * COPY phase spent in JavaScript.) A text value that is exactly `\N` is escaped up front, since
 * it would otherwise read as NULL and pass.
 */
export function copyLineEncoder(spec: TableSpec): LineEncoder {
  let encoder = ENCODERS.get(spec);
  if (!encoder) {
    const raw = compileLine(spec, rawCopyText);
    const escaped = compileLine(spec, copyText);
    const safe = safeLinePattern(spec.columns.length);
    encoder = (row) => {
      const line = raw(row);
      return safe.test(line) ? line : escaped(row);
    };
    ENCODERS.set(spec, encoder);
  }
  return encoder;
}

type CellText = (value: Cell | undefined) => string;

/** The line of a row with `text` writing its text cells; numbers, dates and flags never need escaping. */
function compileLine(spec: TableSpec, text: CellText): LineEncoder {
  const cells = spec.columns.map((c) => `${c.type === 'text' ? 'text' : 'plain'}(row[${JSON.stringify(c.name)}])`);
  const body = `return ${cells.join(" + '\\t' + ")} + '\\n';`;
  return (new Function('text', 'plain', `return function copyLine(row) { ${body} };`) as (text: CellText, plain: CellText) => LineEncoder)(text, plainCopyText);
}

/** A COPY line of `columns` cells none of which needs escaping: each is \\N, or has no backslash, tab, newline or carriage return. */
function safeLinePattern(columns: number): RegExp {
  const cell = '(?:\\\\N|[^\\t\\\\\\r\\n]*)';
  return new RegExp(`^${cell}(?:\\t${cell}){${columns - 1}}\\n$`);
}

/** A text cell as it is, for the first attempt at a line (see copyLineEncoder). */
function rawCopyText(value: Cell | undefined): string {
  if (typeof value === 'string') return value === '\\N' ? '\\\\N' : value;
  return plainCopyText(value);
}

function plainCopyText(value: Cell | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** COPY text format: \N is NULL; backslash, tab, newline and carriage return are escaped. */
export function copyText(value: Cell | undefined): string {
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? escapeCopyText(value) : value;
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const s = String(value);
  return NEEDS_ESCAPE.test(s) ? escapeCopyText(s) : s;
}

function escapeCopyText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
