/**
 * Polling a Coupa Core API resource by its `updated-at`, as an IncrementalSource for the
 * connectors' watermark cycle (incrementalPollCycle).
 *
 * Why: the exported flag (coupa-exported-source.ts) only brings back a PO whose flag Coupa reset,
 * i.e. a new supplier version (or a cancel/close); an internal edit (internal-revision +1, same
 * `version`) leaves an exported PO exported. `updated-at` moves on every change, internal ones
 * included (Purchase Orders API, element list; Special Actions and API Notes), so a window on it
 * sees those edits. The poll does not mark anything exported: it complements the exported-flag
 * poll, it does not replace it.
 *
 * Documented behaviour relied on (compass.coupa.com, The Coupa Core API > Get Started):
 * - Querying Options: `<attribute>[<operator>]=<value>` with `gt_or_eq` among the operators, and
 *   `updated_at[gt_or_eq]=2021-01-01T00:00:00-08:00` given as the example of an incremental query
 *   (dates in ISO 8601 with an offset; a `+` must be URL-encoded).
 * - Arguments: `limit` / `offset` page at most 50 records; `order_by=<attribute>` with `dir=asc`.
 * - An empty search may be answered with an error status (404 in practice): an empty page.
 * Unconfirmed: how Coupa orders records that share one `updated-at` second under
 * `order_by=updated_at`. The cycle's tie offset assumes that order is stable between two calls
 * (the procurement simulator keeps id order); `id` is sent as no second sort key because Coupa
 * documents only one `order_by`.
 * Coupa prints `updated-at` to the second, so the window's start is written to the second too,
 * rounded down (a record updated within the cursor's second is read again, and the ledger makes
 * it a no-op).
 */
import type { PolledPage, PolledRecord } from '../polling/polled-record';
import type { IncrementalSource } from '../polling/poll-cycle';
import { PlatformRequestError, PlatformResponseError } from '../http/platform-errors';
import type { PlatformHttpClient } from '../http/platform-http-client';
import { COUPA_MAX_PAGE, type CoupaRecord } from './coupa-exported-source';

export interface CoupaUpdatedSourceOptions {
  readonly client: PlatformHttpClient;
  /** Resource below /api, e.g. 'purchase_orders'. */
  readonly resource: string;
  /** The record's version (default its `updated-at`; for POs `internal-revision`), as in coupaExportedSource. */
  readonly versionOf?: (record: CoupaRecord) => string;
  /** Extra Coupa query arguments (the caller's own, trusted), e.g. { 'status[in]': 'issued,closed,cancelled' }. */
  readonly filter?: Readonly<Record<string, string>>;
}

/** `2025-03-03T08:20:05+00:00`: Coupa's own format, to the second, UTC. */
export function coupaTime(at: Date): string {
  return `${new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
}

export function coupaUpdatedSource(o: CoupaUpdatedSourceOptions): IncrementalSource<CoupaRecord> {
  const operation = `GET ${o.resource} updated`;
  return {
    fetch: async (from, offset, limit): Promise<PolledPage<CoupaRecord>> => {
      const pageSize = Math.min(limit, COUPA_MAX_PAGE);
      const response = await o.client
        .request({
          method: 'GET',
          path: `/api/${o.resource}`,
          operation,
          query: { ...o.filter, 'updated_at[gt_or_eq]': coupaTime(from), order_by: 'updated_at', dir: 'asc', offset, limit: pageSize },
        })
        .catch((err: unknown) => {
          if (err instanceof PlatformRequestError && err.status === 404) return { status: 404, body: [] as unknown, headers: new Headers() };
          throw err;
        });
      if (!Array.isArray(response.body)) throw new PlatformResponseError(o.client.platform, operation, 'answer is not a JSON array');
      const records = response.body.map((item, index) => record(o, operation, item, offset + index));
      return { records, hasMore: records.length === pageSize };
    },
  };
}

function record(o: CoupaUpdatedSourceOptions, operation: string, item: unknown, position: number): PolledRecord<CoupaRecord> {
  const bad = (why: string) => new PlatformResponseError(o.client.platform, operation, `record ${position}: ${why}`);
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw bad('not an object');
  const r = item as CoupaRecord;
  const id = r['id'];
  if ((typeof id !== 'number' && typeof id !== 'string') || String(id) === '') throw bad('id missing');
  const updated = r['updated-at'];
  const changedAt = typeof updated === 'string' ? new Date(updated) : undefined;
  if (!changedAt || Number.isNaN(changedAt.getTime())) throw bad('updated-at missing or not a date-time');
  return { key: String(id), version: o.versionOf ? o.versionOf(r) : (updated as string), changedAt, data: r };
}
