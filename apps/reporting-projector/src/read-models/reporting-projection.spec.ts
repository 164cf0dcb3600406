import {
  avroTypeFor,
  localSchemaSource,
  narrowSchema,
  topicForEvent,
  type EventEnvelope,
  type EventName,
  type FieldPaths,
} from '@finmesh/contracts';
import {
  MemoryRowStore,
  PROJECTED_EVENT_FIELDS,
  projectedEvent,
  type ProjectedEvent,
  type Row,
} from '@finmesh/projection';
import { seededShuffle, sourceToPayHistory, type HistoryEvent } from '@finmesh/testing';
import { REPORTING_PROJECTION } from './reporting-projection';
import { REPORTING_READS } from './reporting-reads';
import { INVOICES, MATCH_EXCEPTIONS, PURCHASE_ORDER_LINES, PURCHASE_ORDERS } from './reporting-tables';

/** Delivers history records in the given order as a broker would: partition by key, offsets per partition. */
function deliver(records: readonly HistoryEvent[]): ProjectedEvent[] {
  const offsets = new Map<string, number>();
  return records.map((r) => {
    const topic = topicForEvent(r.event).name;
    const partition = [...r.key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 3;
    const tp = `${topic}:${partition}`;
    const offset = offsets.get(tp) ?? 0;
    offsets.set(tp, offset + 1);
    const envelope = (r.value as { envelope: EventEnvelope }).envelope;
    return projectedEvent(r.event, r.value, envelope, { topic, partition, offset: String(offset) });
  });
}

async function project(events: readonly ProjectedEvent[]): Promise<MemoryRowStore> {
  const store = new MemoryRowStore();
  for (const e of events) await REPORTING_PROJECTION.apply(store, e);
  return store;
}

function snapshot(store: MemoryRowStore): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const t of REPORTING_PROJECTION.tables) {
    out[t.name] = [...store.rows(t)].map((r) => ({ ...r })).sort((a, b) => JSON.stringify(t.primaryKey.map((k) => a[k])).localeCompare(JSON.stringify(t.primaryKey.map((k) => b[k]))));
  }
  return out;
}

describe('reporting projection', () => {
  const history = [...sourceToPayHistory({ flows: 400, seed: 9 })];

  it('gives the same rows whatever order the records are applied in, and duplicates change nothing', async () => {
    // Produced out of causal order (e.g. InvoicePosted before InvoiceReceived in a partition)...
    const produced = deliver(seededShuffle(history, 1));
    const reference = snapshot(await project(produced));
    expect(reference[INVOICES.name]?.length).toBeGreaterThan(100);
    // ...then applied in other orders (partitions interleaved differently, as a rebuild does)...
    expect(snapshot(await project(seededShuffle(produced, 2)))).toEqual(reference);
    expect(snapshot(await project([...produced].reverse()))).toEqual(reference);
    // ...and with duplicate records: the same events produced again later (same partition, later offsets).
    const next = new Map<string, number>();
    for (const e of produced) next.set(`${e.topic}:${e.partition}`, Math.max(next.get(`${e.topic}:${e.partition}`) ?? 0, Number(e.offset) + 1));
    const duplicates = produced
      .filter((_, i) => i % 3 === 0)
      .map((e) => {
        const tp = `${e.topic}:${e.partition}`;
        const offset = next.get(tp) as number;
        next.set(tp, offset + 1);
        return { ...e, offset: String(offset) };
      });
    expect(snapshot(await project(seededShuffle([...produced, ...duplicates], 3)))).toEqual(reference);
  });

  it('keeps the current PO revision and lets lines dropped by a later revision fall out', async () => {
    const changed = history.find((h) => h.event === 'PurchaseOrderChanged');
    if (!changed) throw new Error('the generated history has no PO change');
    const poEvents = history.filter((h) => h.key === changed.key && (h.event === 'PurchaseOrderIssued' || h.event === 'PurchaseOrderChanged'));
    for (const order of [poEvents, [...poEvents].reverse()]) {
      const store = await project(deliver(order));
      const header = [...store.rows(PURCHASE_ORDERS)][0] as Row;
      expect(header['revision']).toBe('2');
      expect(header['supplier_id']).not.toBeNull(); // from the Issued event, whatever the order
      const current = [...store.rows(PURCHASE_ORDER_LINES)].filter((l) => l['revision'] === header['revision']);
      const revised = changed.value as { lines: { lineNumber: number; quantity: string }[] };
      expect(current.map((l) => [l['line_number'], l['quantity']])).toEqual(revised.lines.map((l) => [l.lineNumber, l.quantity]));
    }
  });

  it('resolves an exception by its override even when the approval arrives before the exception', async () => {
    const approval = history.find((h) => h.event === 'InvoiceApproved' && (h.value as { mode: string }).mode === 'OVERRIDE');
    if (!approval) throw new Error('the generated history has no override');
    const raised = history.find((h) => h.event === 'MatchExceptionRaised' && h.key === approval.key) as HistoryEvent;
    const store = await project(deliver([approval, raised]));
    const [exception] = [...store.rows(MATCH_EXCEPTIONS)];
    expect(exception?.['invoice_id']).toBe(approval.key);
    expect(exception?.['raised_at']).not.toBeNull();
    expect(exception?.['overridden_at']).toBe(((approval.value as { envelope: EventEnvelope }).envelope.occurredAt).toISOString());
    expect(exception?.['last_event_type']).toBe('InvoiceApproved'); // the later event names the row
  });

  it('keeps money as exact decimal strings', async () => {
    const store = await project(deliver(history.slice(0, 500)));
    for (const row of store.rows(INVOICES)) {
      if (row['gross_amount'] !== null) expect(row['gross_amount']).toMatch(/^-?\d+\.\d{2}$/);
    }
  });

  describe('narrowed decoding in a rebuild (REPORTING_READS)', () => {
    /** The history as consumers decode it: encoded with the full schema, read into the full one or one narrowed to `reads`. */
    const decoded = (reads?: Readonly<Record<EventName, FieldPaths>>): HistoryEvent[] => {
      const schemas = localSchemaSource();
      const types = new Map<EventName, (value: unknown) => unknown>();
      const readerFor = (event: EventName) => {
        let read = types.get(event);
        if (!read) {
          const writer = avroTypeFor(schemas.latestSchema(event));
          if (!reads) {
            read = (value) => writer.fromBuffer(writer.toBuffer(value)) as unknown;
          } else {
            const reader = avroTypeFor(narrowSchema(schemas.latestSchema(event), [...PROJECTED_EVENT_FIELDS, ...reads[event]], event));
            const resolver = reader.createResolver(writer);
            read = (value) => reader.fromBuffer(writer.toBuffer(value), resolver) as unknown;
          }
          types.set(event, read);
        }
        return read;
      };
      return history.map((h) => ({ ...h, value: readerFor(h.event)(h.value) }) as HistoryEvent);
    };

    it('gives exactly the rows of a full decode', async () => {
      const reference = snapshot(await project(deliver(decoded())));
      const narrowed = decoded(REPORTING_READS);
      const invoice = narrowed.find((h) => h.event === 'InvoiceReceived')?.value as unknown as Record<string, unknown>;
      expect(invoice['taxLines']).toBeUndefined(); // really narrowed: unread fields are not decoded
      expect(snapshot(await project(deliver(narrowed)))).toEqual(reference);
    });

    it('changes the rows when a field the projectors read is left out (so the test above has teeth)', async () => {
      const reference = snapshot(await project(deliver(decoded())));
      const withoutCostCenter = { ...REPORTING_READS, InvoiceReceived: REPORTING_READS.InvoiceReceived.filter((p) => p !== 'lines.costCenter.code') };
      expect(snapshot(await project(deliver(decoded(withoutCostCenter))))).not.toEqual(reference);
    });
  });
});
