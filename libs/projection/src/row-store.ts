import type { MaybePromise } from './maybe-async';
import { keyOf, rowFactory, rowKeyFunction, type Cell, type Row, type TableSpec } from './read-model-table';

/**
 * Where a projection reads and writes its rows. The same projection code runs against an
 * in-memory store (rebuild: millions of events, then one bulk load) and a SQL store bound to the
 * live consumer's transaction, so the two cannot drift apart.
 */
export interface RowStore {
  /** The row with this primary key (values in primary-key order), or undefined. */
  get(table: TableSpec, key: readonly Cell[]): Row | undefined | Promise<Row | undefined>;
  /** Inserts or replaces the row (the store keeps the object: do not mutate it afterwards). */
  put(table: TableSpec, row: Row): void;
  /**
   * Lets `change` update the row whose primary key is `key` (a new row with that key if there is
   * none) and stores it: `get`, then `put`, in one step, so the key is worked out once.
   */
  upsert(table: TableSpec, key: Row, change: (row: Row) => void): MaybePromise<void>;
}

/** All rows in memory, per table; what a rebuild fills before writing the tables in bulk. */
export class MemoryRowStore implements RowStore {
  // Keyed by the spec object itself, with the table's compiled key and row functions beside its
  // rows: one identity lookup per access on the rebuild's hot path.
  private readonly tables = new Map<TableSpec, MemoryTable>();

  get(table: TableSpec, key: readonly Cell[]): Row | undefined {
    return this.tables.get(table)?.rows.get(keyOf(key));
  }

  put(table: TableSpec, row: Row): void {
    const t = this.tableOf(table);
    t.rows.set(t.keyOf(row), row);
  }

  // One key string, one lookup, and a second map access only for a new row. A found row is
  // changed in place, which is what storing it again would amount to.
  upsert(table: TableSpec, key: Row, change: (row: Row) => void): void {
    const t = this.tableOf(table);
    const k = t.keyOf(key);
    const found = t.rows.get(k);
    if (found) return change(found);
    const row = t.newRow(key);
    change(row);
    t.rows.set(k, row);
  }

  rows(table: TableSpec): IterableIterator<Row> {
    return (this.tables.get(table)?.rows ?? new Map<string, Row>()).values();
  }

  /** Forgets a table's rows (once they are written out, so the memory can be reclaimed). */
  release(table: TableSpec): void {
    this.tables.delete(table);
  }

  count(table: TableSpec): number {
    return this.tables.get(table)?.rows.size ?? 0;
  }

  private tableOf(spec: TableSpec): MemoryTable {
    let t = this.tables.get(spec);
    if (!t) {
      t = { rows: new Map(), keyOf: rowKeyFunction(spec), newRow: rowFactory(spec) };
      this.tables.set(spec, t);
    }
    return t;
  }
}

interface MemoryTable {
  readonly rows: Map<string, Row>;
  readonly keyOf: (row: Row) => string;
  readonly newRow: (key: Row) => Row;
}
