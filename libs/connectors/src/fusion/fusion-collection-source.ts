/**
 * Polling an Oracle Fusion REST collection by its LastUpdateDate.
 *
 * Documented behaviour relied on, from Oracle's "Manage Collections" page of the Fusion REST
 * guides (https://docs.oracle.com/en/cloud/saas/supply-chain-and-manufacturing/24a/fasrp/Collections.html,
 * the same text in every Fusion REST guide) and the Financials resources' "Get all" operations
 * (e.g. https://docs.oracle.com/en/cloud/saas/financials/25a/farfa/op-collectionpromises-get.html):
 * - `q` filters a collection on queryable attributes (`Attr >= 'value'`, terms joined by `;`);
 * - `orderBy=Attr:asc`, several attributes comma-separated;
 * - `limit`/`offset` paging, answered with `items`, `count`, `hasMore`, `limit`, `offset`;
 *   the server may return fewer than `limit` items, so `hasMore` decides, never the count;
 * - `onlyData=true` leaves the links out; `expand=<child>` includes child collections.
 * The Payables and Supplier resources expose `LastUpdateDate` as a queryable date-time.
 *
 * The query asks for LastUpdateDate >= the cursor, ordered by LastUpdateDate then by the record's
 * key, so rows of one instant come in a stable order and the poll cycle's tie offset is exact.
 */
import type { PolledPage, PolledRecord } from '../polling/polled-record';
import type { IncrementalSource } from '../polling/poll-cycle';
import { PlatformResponseError } from '../http/platform-errors';
import type { PlatformHttpClient } from '../http/platform-http-client';

export type FusionItem = Readonly<Record<string, unknown>>;

export interface FusionCollectionOptions {
  readonly client: PlatformHttpClient;
  /** Resource path below the REST base, e.g. '/payablesPayments'. */
  readonly resource: string;
  /** The attribute that identifies a row (CheckId, SupplierId, InvoiceId): the tie-breaker and record key. */
  readonly keyAttribute: string;
  /** Extra `q` terms AND-ed to the window, e.g. "Source='FINMESH'" (the caller's own, trusted text). */
  readonly filter?: string;
  /** `expand` (child collections such as 'sites'), when the record needs them. */
  readonly expand?: string;
  /** How the q value of a time is written; default ISO-8601 UTC with milliseconds. */
  readonly formatTime?: (at: Date) => string;
}

/** Reads one Fusion collection as an {@link IncrementalSource} of its raw items. */
export function fusionCollectionSource(o: FusionCollectionOptions): IncrementalSource<FusionItem> {
  const name = o.resource.replace(/^\//, '');
  const format = o.formatTime ?? ((at: Date) => at.toISOString());
  return {
    fetch: async (from, offset, limit): Promise<PolledPage<FusionItem>> => {
      const q = [`LastUpdateDate >= '${format(from)}'`, ...(o.filter ? [o.filter] : [])].join(';');
      const response = await o.client.request({
        method: 'GET',
        path: o.resource,
        operation: `GET ${name}`,
        query: { q, orderBy: `LastUpdateDate:asc,${o.keyAttribute}:asc`, limit, offset, onlyData: true, ...(o.expand ? { expand: o.expand } : {}) },
      });
      const body = response.body as { items?: unknown; hasMore?: unknown } | undefined;
      if (!body || !Array.isArray(body.items) || typeof body.hasMore !== 'boolean') {
        throw new PlatformResponseError(o.client.platform, `GET ${name}`, 'answer is not a collection (items, hasMore)');
      }
      const records = body.items.map((item, index) => fusionRecord(o, name, item, offset + index));
      return { records, hasMore: body.hasMore };
    },
  };
}

function fusionRecord(o: FusionCollectionOptions, name: string, item: unknown, position: number): PolledRecord<FusionItem> {
  const bad = (why: string) => new PlatformResponseError(o.client.platform, `GET ${name}`, `item ${position}: ${why}`);
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw bad('not an object');
  const row = item as FusionItem;
  const key = row[o.keyAttribute];
  if ((typeof key !== 'string' && typeof key !== 'number') || String(key) === '') throw bad(`${o.keyAttribute} missing`);
  const updated = row['LastUpdateDate'];
  const changedAt = typeof updated === 'string' ? new Date(updated) : undefined;
  if (!changedAt || Number.isNaN(changedAt.getTime())) throw bad('LastUpdateDate missing or not a date-time');
  // The version is the platform's own update time, as it wrote it: the same row unchanged is
  // the same version whenever it is read.
  return { key: String(key), version: updated as string, changedAt, data: row };
}
