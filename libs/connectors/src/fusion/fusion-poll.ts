import type { SqlExecutor } from '@finmesh/persistence';
import { incrementalPollCycle } from '../polling/poll-cycle';
import type { PollContext } from '../polling/poll-context';
import type { PolledRecordHandler } from '../polling/polled-record';
import type { PollDefinition } from '../polling/polling-runtime';
import { fusionCollectionSource, type FusionCollectionOptions, type FusionItem } from './fusion-collection-source';

export interface FusionPollSpec<Tx extends SqlExecutor> extends Omit<FusionCollectionOptions, 'client' | 'resource'> {
  /** Collection name below the REST root, e.g. 'payablesPayments'. */
  readonly resource: string;
  readonly handler: PolledRecordHandler<FusionItem, Tx>;
}

/** A LastUpdateDate-watermark poll of one Fusion collection, ready for a PollingRuntime. */
export function fusionPoll<Tx extends SqlExecutor>(ctx: PollContext<Tx>, spec: FusionPollSpec<Tx>): PollDefinition {
  const { resource, handler, ...collection } = spec;
  return {
    platform: ctx.client.platform,
    resource,
    intervalMs: ctx.settings.intervalMs,
    cycle: incrementalPollCycle({
      platform: ctx.client.platform,
      resource,
      ledger: ctx.ledger,
      transaction: ctx.transaction,
      handler,
      pageSize: ctx.settings.pageSize,
      overlapMs: ctx.settings.overlapMs,
      source: fusionCollectionSource({ ...collection, client: ctx.client, resource: `/${resource}` }),
      ...(ctx.observer ? { observer: ctx.observer } : {}),
    }),
  };
}
