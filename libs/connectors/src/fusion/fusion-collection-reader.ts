import type { PlatformHttpClient } from '../http/platform-http-client';
import { fusionCollectionSource, type FusionCollectionOptions, type FusionItem } from './fusion-collection-source';

/**
 * Every row of a Fusion collection changed since `since` (default: all), page by page in the
 * collection source's stable order: what a comparison of finmesh's view with the ERP's reads.
 */
export async function readFusionCollection(
  client: PlatformHttpClient,
  options: Omit<FusionCollectionOptions, 'client'> & { readonly since?: Date; readonly pageSize?: number },
): Promise<FusionItem[]> {
  const source = fusionCollectionSource({ ...options, client });
  const pageSize = options.pageSize ?? 500;
  const rows: FusionItem[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await source.fetch(options.since ?? new Date(0), offset, pageSize);
    rows.push(...page.records.map((r) => r.data));
    if (!page.hasMore || page.records.length === 0) return rows;
  }
}
