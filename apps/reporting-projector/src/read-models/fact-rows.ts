import { newRow, whenReady, type MaybePromise, type ProjectedEvent, type Row, type RowStore, type TableSpec } from '@finmesh/events';
import { stampLineage } from './lineage';

/**
 * Loads (or starts) the row with `key`, lets `change` merge the event into it, stamps lineage and
 * stores it. The one way facts are written, so every row gets lineage.
 */
export function mergeInto(store: RowStore, spec: TableSpec, key: Row, e: ProjectedEvent, change: (row: Row) => void): MaybePromise<void> {
  return whenReady(store.get(spec, spec.primaryKey.map((c) => key[c] ?? null)), (found) => {
    const row = found ?? newRow(spec, key);
    change(row);
    stampLineage(row, e);
    store.put(spec, row);
  });
}
