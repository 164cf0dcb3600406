import { type TableSpec } from '@finmesh/projection';
import { mayActOn, type LegalEntityScope } from '@finmesh/service-kit';
import type { DataSource } from 'typeorm';
import { REPORTING_TABLES } from '../read-models/reporting-tables';
import { lineageStore } from './lineage-store';

/** Line tables carry no legal entity of their own: their document's says whom they belong to. */
const DOCUMENT_OF: Readonly<Record<string, { readonly table: string; readonly key: string }>> = {
  purchase_order_lines: { table: 'purchase_orders', key: 'purchase_order_id' },
  invoice_lines: { table: 'invoices', key: 'invoice_id' },
  payment_allocations: { table: 'payments', key: 'payment_id' },
};

/** Read models whose rows can be traced to their events (all but the observational ones). */
export const LINEAGE_TABLES: ReadonlyMap<string, TableSpec> = new Map(REPORTING_TABLES.filter((t) => !t.observational).map((t) => [t.name, t]));

/**
 * The rows of `table` whose first key column is `id` (an invoice, or every line of a PO) with the
 * event that last changed each: id, type, time, topic, partition and offset. Rows of a legal
 * entity outside `scope` (their own, or their document's for lines) are left out, as if they did
 * not exist. Suppliers are master data every entity reads.
 */
export async function lineageOf(db: DataSource, table: string, id: string, scope: LegalEntityScope): Promise<Record<string, unknown>[]> {
  const spec = LINEAGE_TABLES.get(table);
  if (!spec) return [];
  // A read outside a transaction: the DataSource's manager (see LineageStore).
  const document = DOCUMENT_OF[table];
  if (document && scope !== 'ALL') {
    const legalEntity = await lineageStore.legalEntityOf(db.manager, document.table, document.key, id);
    if (legalEntity === undefined || !mayActOn(scope, legalEntity)) return [];
  }
  const rows = (await lineageStore.rowsOf(db.manager, spec, id)).filter((r) => typeof r['legal_entity'] !== 'string' || mayActOn(scope, r['legal_entity']));
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
