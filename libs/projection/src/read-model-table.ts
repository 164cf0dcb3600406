import { quoteIdentifier } from '@finmesh/persistence';

/** Column types a read model may use. Money is `numeric` (exact decimal text), never a float. */
export type ColumnType = 'text' | 'numeric' | 'int' | 'bigint' | 'boolean' | 'date' | 'timestamptz';

/**
 * A cell as the projection code sees it. Timestamps are ISO-8601 strings with milliseconds,
 * dates 'YYYY-MM-DD', numerics decimal strings, bigints strings: one representation whatever the
 * row came from (memory during a rebuild, PostgreSQL in the live path), so both paths compute
 * exactly the same rows.
 */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
}

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  /** Extra (non-unique) indexes for the reports, each a list of columns. */
  readonly indexes?: readonly (readonly string[])[];
  /**
   * Observational tables record how the live projection ran (e.g. projection latency); they
   * cannot be derived from the event history, so a rebuild keeps them instead of rebuilding them.
   */
  readonly observational?: boolean;
}

const ROW_FACTORIES = new WeakMap<TableSpec, (key: Row) => Row>();

/**
 * A fresh row of `spec`: its primary-key columns from `key`, every other column null. Compiled
 * once per table into a single object literal naming every column, so that all rows of a table
 * share one shape and a rebuild's millions of new rows cost one allocation each (copying a
 * template with object spread was a visible part of the rebuild). Column names are embedded as
 * JSON string literals, never as code.
 */
export function newRow(spec: TableSpec, key: Row): Row {
  return rowFactory(spec)(key);
}

/** {@link newRow} for one table, compiled once. */
export function rowFactory(spec: TableSpec): (key: Row) => Row {
  let factory = ROW_FACTORIES.get(spec);
  if (!factory) {
    const keys = new Set(spec.primaryKey);
    const cells = spec.columns.map((c) => `${JSON.stringify(c.name)}: ${keys.has(c.name) ? `key[${JSON.stringify(c.name)}] ?? null` : 'null'}`);
    factory = (new Function(`return function newRow(key) { return { ${cells.join(', ')} }; };`) as () => (key: Row) => Row)();
    ROW_FACTORIES.set(spec, factory);
  }
  return factory;
}

/** The key of a row as one string (for maps and caches); the same string {@link keyOf} gives for its key values. */
export function rowKey(spec: TableSpec, row: Row): string {
  return rowKeyFunction(spec)(row);
}

const ROW_KEYS = new WeakMap<TableSpec, (row: Row) => string>();

/**
 * {@link rowKey} compiled once per table into straight-line code with a named property read per
 * key column: a rebuild computes a key for every row an event touches, and a generic
 * `row[column]` read in a loop (plus the array of values keyOf takes) was a visible part of that.
 * Column names are embedded as JSON string literals, never as code.
 */
export function rowKeyFunction(spec: TableSpec): (row: Row) => string {
  let f = ROW_KEYS.get(spec);
  if (!f) {
    const part = (c: string) => `cell(row[${JSON.stringify(c)}])`;
    const body = spec.primaryKey.length === 1 ? part(spec.primaryKey[0] ?? '') : spec.primaryKey.map(part).join(" + '\\u0001' + ");
    f = (new Function('cell', `return function rowKey(row) { return ${body}; };`) as (cell: (v: Cell | undefined) => string) => (row: Row) => string)(keyCell);
    ROW_KEYS.set(spec, f);
  }
  return f;
}

function keyCell(v: Cell | undefined): string {
  return v === null || v === undefined ? '\u0000' : String(v);
}

export function keyOf(values: readonly Cell[]): string {
  if (values.length === 1) return keyCell(values[0]);
  return values.map(keyCell).join('\u0001');
}

export function qualified(schema: string, table: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
}

/**
 * DDL of a read-model table (idempotent): in `schema`, or unqualified (null) for a service's
 * migrations, which run with the service's schema as search_path.
 *
 * Columns added to a spec later (a new event's facts) are added to a live table that already
 * exists, empty; a rebuild from history then fills them for past events. Columns are never
 * dropped or retyped here: that is a rebuild's job (it creates the tables anew).
 */
export function createTableSql(schema: string | null, spec: TableSpec): string[] {
  const table = schema === null ? quoteIdentifier(spec.name) : qualified(schema, spec.name);
  const columns = spec.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`);
  const pk = spec.primaryKey.map(quoteIdentifier).join(', ');
  return [
    `CREATE TABLE IF NOT EXISTS ${table} (${columns.join(', ')}, PRIMARY KEY (${pk}))`,
    `ALTER TABLE ${table} ${columns.map((c) => `ADD COLUMN IF NOT EXISTS ${c}`).join(', ')}`,
    ...createIndexSql(table, spec),
  ];
}

/** The table without its primary key and indexes: a bulk load is faster when they are built afterwards. */
export function createBareTableSql(schema: string, spec: TableSpec): string {
  return `CREATE TABLE ${qualified(schema, spec.name)} (${spec.columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`).join(', ')})`;
}

/** The primary key and indexes of a table created bare (built in one sorted pass each). */
export function addKeysSql(schema: string, spec: TableSpec): string[] {
  const table = qualified(schema, spec.name);
  return [`ALTER TABLE ${table} ADD PRIMARY KEY (${spec.primaryKey.map(quoteIdentifier).join(', ')})`, ...createIndexSql(table, spec)];
}

function createIndexSql(table: string, spec: TableSpec): string[] {
  return (spec.indexes ?? []).map(
    (index) => `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${spec.name}_${index.join('_')}_idx`)} ON ${table} (${index.map(quoteIdentifier).join(', ')})`,
  );
}

/**
 * Converts a value PostgreSQL returned into the projection's representation (see {@link Cell}).
 * node-postgres gives Date for timestamptz and date; the latter is mapped back to its calendar day.
 */
export function cellFromDatabase(type: ColumnType, value: unknown): Cell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'timestamptz':
      return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
    case 'date':
      return value instanceof Date ? localDay(value) : String(value);
    case 'int':
      return Number(value);
    case 'boolean':
      return Boolean(value);
    default:
      return String(value);
  }
}

function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** SELECT list that makes PostgreSQL return dates as text (no time-zone shifts). */
export function selectList(spec: TableSpec): string {
  return spec.columns.map((c) => (c.type === 'date' ? `${quoteIdentifier(c.name)}::text AS ${quoteIdentifier(c.name)}` : quoteIdentifier(c.name))).join(', ');
}
