/**
 * Polling a Coupa Core API resource with the exported flag.
 *
 * Documented behaviour relied on (Coupa Compass, "The Coupa Core API" → "Get Started"):
 * - Special Actions and API Notes (https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api/get-started-with-the-api/special-actions-and-api-notes):
 *   marking an object exported "requires its own request": `PUT /api/purchase_orders/25?exported=true`;
 *   an edit that makes a new PO version resets the exported flag to false.
 * - Integration scenario 8.1 "Outbound PO" (compass.coupa.com, ERP integration adapters): query
 *   `GET /api/purchase_orders?exported=false`, post to the ERP, then mark exported.
 * - Arguments (https://compass.coupa.com/en-us/products/product-documentation/integration-technical-documentation/the-coupa-core-api/get-started-with-the-api/arguments):
 *   `limit` and `offset` page results, at most 50 per call; results start with the lowest id.
 * - Querying Options: "If your search provides no records, you should see that message in the
 *   API response" — an empty search may be answered with an error status (404 in practice;
 *   unconfirmed which status), so a 404 on the collection counts as an empty page.
 * - `updated-at` ("Last Updated at Date") is on every object; for POs `internal-revision`
 *   increases on every change, internal or supplier-facing (Purchase Orders Export field list).
 */
import type { PolledPage, PolledRecord } from '../polling/polled-record';
import type { ExportedFlagSource } from '../polling/poll-cycle';
import { PlatformRequestError, PlatformResponseError } from '../http/platform-errors';
import type { PlatformHttpClient } from '../http/platform-http-client';

export type CoupaRecord = Readonly<Record<string, unknown>>;

export interface CoupaExportedSourceOptions {
  readonly client: PlatformHttpClient;
  /** Resource below /api, e.g. 'purchase_orders', 'receiving_transactions', 'invoices'. */
  readonly resource: string;
  /**
   * The record's version: default its `updated-at`; for POs e.g. `internal-revision`, which
   * moves on every edit, so two edits within one second are still two versions.
   */
  readonly versionOf?: (record: CoupaRecord) => string;
}

/** Coupa caps a page at 50 records. */
export const COUPA_MAX_PAGE = 50;

export function coupaExportedSource(o: CoupaExportedSourceOptions): ExportedFlagSource<CoupaRecord> {
  return {
    fetchUnexported: async (offset, limit): Promise<PolledPage<CoupaRecord>> => {
      const pageSize = Math.min(limit, COUPA_MAX_PAGE);
      const response = await o.client.request({
        method: 'GET',
        path: `/api/${o.resource}`,
        operation: `GET ${o.resource}`,
        query: { exported: false, offset, limit: pageSize },
      }).catch((err: unknown) => {
        if (err instanceof PlatformRequestError && err.status === 404) return { status: 404, body: [] as unknown, headers: new Headers() };
        throw err;
      });
      if (!Array.isArray(response.body)) throw new PlatformResponseError(o.client.platform, `GET ${o.resource}`, 'answer is not a JSON array');
      const records = response.body.map((item, index) => coupaRecord(o, item, offset + index));
      return { records, hasMore: records.length === pageSize };
    },
    markExported: async (record: PolledRecord<CoupaRecord>) => {
      await o.client.request({
        method: 'PUT',
        path: `/api/${o.resource}/${encodeURIComponent(record.key)}`,
        operation: `PUT ${o.resource} exported`,
        query: { exported: true },
      });
    },
  };
}

function coupaRecord(o: CoupaExportedSourceOptions, item: unknown, position: number): PolledRecord<CoupaRecord> {
  const bad = (why: string) => new PlatformResponseError(o.client.platform, `GET ${o.resource}`, `record ${position}: ${why}`);
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw bad('not an object');
  const record = item as CoupaRecord;
  const id = record['id'];
  if ((typeof id !== 'number' && typeof id !== 'string') || String(id) === '') throw bad('id missing');
  const updated = record['updated-at'];
  const changedAt = typeof updated === 'string' ? new Date(updated) : undefined;
  if (!changedAt || Number.isNaN(changedAt.getTime())) throw bad('updated-at missing or not a date-time');
  return { key: String(id), version: o.versionOf ? o.versionOf(record) : (updated as string), changedAt, data: record };
}
