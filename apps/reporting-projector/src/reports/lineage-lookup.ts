import { type TableSpec } from '@finmesh/projection';
import type { DataSource } from 'typeorm';
import { REPORTING_TABLES } from '../read-models/reporting-tables';
import { lineageStore } from './lineage-store';

/** Read models whose rows can be traced to their events (all but the observational ones). */
export const LINEAGE_TABLES: ReadonlyMap<string, TableSpec> = new Map(REPORTING_TABLES.filter((t) => !t.observational).map((t) => [t.name, t]));

/**
 * The rows of `table` whose first key column is `id` (an invoice, or every line of a PO) with the
 * event that last changed each: id, type, time, topic, partition and offset.
 */
export async function lineageOf(db: DataSource, table: string, id: string): Promise<Record<string, unknown>[]> {
  const spec = LINEAGE_TABLES.get(table);
  if (!spec) return [];
  // A read outside a transaction: the DataSource's manager (see LineageStore).
  const rows = await lineageStore.rowsOf(db.manager, spec, id);
  return rows.map((r) => {
    const key = Object.fromEntries(spec.primaryKey.map((k) => [k, r[k]]));
    return {
      key,
      lastEvent: {
        eventId: r['last_event_id'],
        eventType: r['last_event_type'],
        occurredAt: r['last_occurred_at'],
        topic: r['last_topic'],
        partition: r['last_partition'],
        offset: r['last_offset'],
      },
      row: r,
    };
  });
}
