import { keyOf, rowKey, type Cell, type Row, type TableSpec } from './read-model-table';

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
}

/** All rows in memory, per table; what a rebuild fills before writing the tables in bulk. */
export class MemoryRowStore implements RowStore {
  // Keyed by the spec object itself: one identity lookup per access on the rebuild's hot path.
  private readonly tables = new Map<TableSpec, Map<string, Row>>();

  get(table: TableSpec, key: readonly Cell[]): Row | undefined {
    return this.tables.get(table)?.get(keyOf(key));
  }

  put(table: TableSpec, row: Row): void {
    let rows = this.tables.get(table);
    if (!rows) {
      rows = new Map();
      this.tables.set(table, rows);
    }
    rows.set(rowKey(table, row), row);
  }

  rows(table: TableSpec): IterableIterator<Row> {
    return (this.tables.get(table) ?? new Map<string, Row>()).values();
  }

  /** Forgets a table's rows (once they are written out, so the memory can be reclaimed). */
  release(table: TableSpec): void {
    this.tables.delete(table);
  }

  count(table: TableSpec): number {
    return this.tables.get(table)?.size ?? 0;
  }
}
