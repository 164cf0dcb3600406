import type { PlatformHttpClient } from '../http/platform-http-client';
import { PlatformRequestError, PlatformResponseError } from '../http/platform-errors';
import { COUPA_MAX_PAGE, type CoupaRecord } from './coupa-exported-source';

/**
 * Every record of a Coupa resource matching `query` (Coupa's query arguments, e.g.
 * `{ number: '1013' }`), read with `offset`/`limit` 50 in id order until a short page. An empty
 * search may be answered with 404 (see coupa-exported-source.ts): read as no records.
 */
export async function readCoupaCollection(client: PlatformHttpClient, resource: string, query: Readonly<Record<string, string>> = {}): Promise<CoupaRecord[]> {
  const records: CoupaRecord[] = [];
  for (let offset = 0; ; offset += COUPA_MAX_PAGE) {
    const response = await client
      .request({ method: 'GET', path: `/api/${resource}`, operation: `GET ${resource}`, query: { ...query, offset, limit: COUPA_MAX_PAGE } })
      .catch((err: unknown) => {
        if (err instanceof PlatformRequestError && err.status === 404) return { status: 404, body: [] as unknown, headers: new Headers() };
        throw err;
      });
    if (!Array.isArray(response.body)) throw new PlatformResponseError(client.platform, `GET ${resource}`, 'answer is not a JSON array');
    const page = response.body.filter((r): r is CoupaRecord => r !== null && typeof r === 'object' && !Array.isArray(r));
    records.push(...page);
    if (page.length < COUPA_MAX_PAGE) return records;
  }
}
