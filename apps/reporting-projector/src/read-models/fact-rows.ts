import type { MaybePromise, ProjectedEvent, Row, RowStore, TableSpec } from '@finmesh/projection';
import { stampLineage } from './lineage';

/**
 * Loads (or starts) the row with `key`, lets `change` merge the event into it, stamps lineage and
 * stores it. The one way facts are written, so every row gets lineage.
 */
export function mergeInto(store: RowStore, spec: TableSpec, key: Row, e: ProjectedEvent, change: (row: Row) => void): MaybePromise<void> {
  return store.upsert(spec, key, (row) => {
    change(row);
    stampLineage(row, e);
  });
}
