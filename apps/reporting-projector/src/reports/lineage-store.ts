import { quoteIdentifier, resultRows, type SqlExecutor } from '@finmesh/persistence';
import type { TableSpec } from '@finmesh/projection';

/**
 * SQL for lineage reads: the rows of a read model whose first key column has a given value (an
 * invoice, or every line of a PO), with their last_* event columns. Runs on the executor it is
 * given (the DataSource's manager: a read outside a transaction).
 */
export class LineageStore {
  async rowsOf(db: SqlExecutor, spec: TableSpec, id: string): Promise<Record<string, unknown>[]> {
    const [firstKey] = spec.primaryKey;
    // search_path is the projector's schema
    return resultRows<Record<string, unknown>>(
      await db.query(`SELECT * FROM ${quoteIdentifier(spec.name)} WHERE ${quoteIdentifier(firstKey as string)} = $1 ORDER BY 1, 2`, [id]),
    );
  }

  /** The legal entity of the document `id` in `table` (keyed by `key`), or undefined when there is none. */
  async legalEntityOf(db: SqlExecutor, table: string, key: string, id: string): Promise<string | undefined> {
    const [row] = resultRows<{ legal_entity: string | null }>(await db.query(`SELECT legal_entity FROM ${quoteIdentifier(table)} WHERE ${quoteIdentifier(key)} = $1`, [id]));
    return row?.legal_entity ?? undefined;
  }
}

/** The one shared instance: a store holds no state, so every caller may use it. */
export const lineageStore = new LineageStore();
