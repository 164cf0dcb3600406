import type { SqlExecutor } from '@finmesh/persistence';
import { exportedFlagPollCycle } from '../polling/poll-cycle';
import type { PollContext } from '../polling/poll-context';
import type { PolledRecordHandler } from '../polling/polled-record';
import type { PollDefinition } from '../polling/polling-runtime';
import { coupaExportedSource, type CoupaExportedSourceOptions, type CoupaRecord } from './coupa-exported-source';

export interface CoupaPollSpec<Tx extends SqlExecutor> extends Omit<CoupaExportedSourceOptions, 'client'> {
  readonly handler: PolledRecordHandler<CoupaRecord, Tx>;
}

/** An exported-flag poll of one Coupa resource, ready for a PollingRuntime. */
export function coupaPoll<Tx extends SqlExecutor>(ctx: PollContext<Tx>, spec: CoupaPollSpec<Tx>): PollDefinition {
  const { handler, ...source } = spec;
  return {
    platform: ctx.client.platform,
    resource: spec.resource,
    intervalMs: ctx.settings.intervalMs,
    cycle: exportedFlagPollCycle({
      platform: ctx.client.platform,
      resource: spec.resource,
      ledger: ctx.ledger,
      transaction: ctx.transaction,
      handler,
      pageSize: ctx.settings.pageSize,
      source: coupaExportedSource({ ...source, client: ctx.client }),
      ...(ctx.observer ? { observer: ctx.observer } : {}),
    }),
  };
}
