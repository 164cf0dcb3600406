import { quoteIdentifier, resultRows, type SqlExecutor } from '@finmesh/persistence';
import { cellFromDatabase, keyOf, newRow, qualified, rowKey, selectList, type Cell, type Row, type TableSpec } from './read-model-table';
import type { RowStore } from './row-store';

/** Most rows in one multi-row upsert (PostgreSQL allows 65,535 parameters per statement). */
const MAX_PARAMETERS = 60_000;

/**
 * A {@link RowStore} over one database transaction. Rows read are locked (FOR UPDATE) and cached
 * for the rest of the unit of work; writes are buffered and flushed as multi-row upserts, so a
 * batch of events costs a few statements instead of a few per event.
 */
export class SqlRowStore implements RowStore {
  private readonly cache = new Map<string, Map<string, Row | undefined>>();
  private readonly dirty = new Map<string, { spec: TableSpec; rows: Map<string, Row> }>();

  constructor(
    private readonly exec: SqlExecutor,
    private readonly schema: string,
  ) {}

  async get(table: TableSpec, key: readonly Cell[]): Promise<Row | undefined> {
    const k = keyOf(key);
    let tableCache = this.cache.get(table.name);
    if (!tableCache) {
      tableCache = new Map();
      this.cache.set(table.name, tableCache);
    }
    if (tableCache.has(k)) return tableCache.get(k);
    const where = table.primaryKey.map((c, i) => `${quoteIdentifier(c)} = $${i + 1}`).join(' AND ');
    const rows = resultRows<Record<string, unknown>>(
      await this.exec.query(`SELECT ${selectList(table)} FROM ${qualified(this.schema, table.name)} WHERE ${where} FOR UPDATE`, [...key]),
    );
    const found = rows[0] ? fromDatabase(table, rows[0]) : undefined;
    tableCache.set(k, found);
    return found;
  }

  put(table: TableSpec, row: Row): void {
    const k = rowKey(table, row);
    const tableCache = this.cache.get(table.name);
    if (tableCache) tableCache.set(k, row);
    else this.cache.set(table.name, new Map([[k, row]]));
    let entry = this.dirty.get(table.name);
    if (!entry) {
      entry = { spec: table, rows: new Map() };
      this.dirty.set(table.name, entry);
    }
    entry.rows.set(k, row);
  }

  async upsert(table: TableSpec, key: Row, change: (row: Row) => void): Promise<void> {
    const row = (await this.get(table, table.primaryKey.map((c) => key[c] ?? null))) ?? newRow(table, key);
    change(row);
    this.put(table, row);
  }

  /** Writes the buffered rows; call once at the end of the unit of work, inside its transaction. */
  async flush(): Promise<number> {
    let written = 0;
    for (const { spec, rows } of this.dirty.values()) {
      const all = [...rows.values()];
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / spec.columns.length));
      for (let i = 0; i < all.length; i += perStatement) {
        const chunk = all.slice(i, i + perStatement);
        await this.exec.query(upsertSql(this.schema, spec, chunk.length), chunk.flatMap((r) => spec.columns.map((c) => r[c.name] ?? null)));
        written += chunk.length;
      }
    }
    this.dirty.clear();
    return written;
  }
}

function fromDatabase(spec: TableSpec, raw: Record<string, unknown>): Row {
  const row: Row = {};
  for (const c of spec.columns) row[c.name] = cellFromDatabase(c.type, raw[c.name]);
  return row;
}

function upsertSql(schema: string, spec: TableSpec, rowCount: number): string {
  const n = spec.columns.length;
  const values: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    values.push(`(${spec.columns.map((c, i) => `$${r * n + i + 1}::${c.type}`).join(', ')})`);
  }
  const columns = spec.columns.map((c) => quoteIdentifier(c.name)).join(', ');
  const keys = new Set(spec.primaryKey);
  const updates = spec.columns.filter((c) => !keys.has(c.name)).map((c) => `${quoteIdentifier(c.name)} = EXCLUDED.${quoteIdentifier(c.name)}`);
  const conflict = updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
  return `INSERT INTO ${qualified(schema, spec.name)} (${columns}) VALUES ${values.join(', ')} ON CONFLICT (${spec.primaryKey.map(quoteIdentifier).join(', ')}) ${conflict}`;
}
