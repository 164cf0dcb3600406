import type { ProjectedEvent, Row, RowStore, TableSpec } from '@finmesh/events';
import { stampLineage } from './lineage';
import { emptyRow } from './merge-rules';

/**
 * Loads (or starts) the row with `key`, lets `change` merge the event into it, stamps lineage and
 * stores it. The one way facts are written, so every row gets lineage.
 */
export async function mergeInto(store: RowStore, spec: TableSpec, key: Row, e: ProjectedEvent, change: (row: Row) => void): Promise<void> {
  const row = (await store.get(spec, spec.primaryKey.map((c) => key[c] ?? null))) ?? emptyRow(spec.columns, key);
  change(row);
  stampLineage(row, e);
  store.put(spec, row);
}
