import type { SqlExecutor } from '@finmesh/persistence';
import { exportedFlagPollCycle, incrementalPollCycle } from '../polling/poll-cycle';
import type { PollContext } from '../polling/poll-context';
import type { PolledRecordHandler } from '../polling/polled-record';
import type { PollDefinition } from '../polling/polling-runtime';
import { coupaExportedSource, type CoupaExportedSourceOptions, type CoupaRecord } from './coupa-exported-source';
import { coupaUpdatedSource, type CoupaUpdatedSourceOptions } from './coupa-updated-source';

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

export interface CoupaUpdatedPollSpec<Tx extends SqlExecutor> extends Omit<CoupaUpdatedSourceOptions, 'client'> {
  /** Name of this poll's watermark and ledger, distinct from the resource's exported-flag poll. */
  readonly pollName: string;
  readonly handler: PolledRecordHandler<CoupaRecord, Tx>;
}

/**
 * An `updated-at`-watermark poll of one Coupa resource: it sees the changes the exported flag
 * does not bring back (internal PO edits) and marks nothing. Runs next to the exported-flag poll;
 * a version both read is applied by whichever comes first and is a no-op for the other.
 */
export function coupaUpdatedPoll<Tx extends SqlExecutor>(ctx: PollContext<Tx>, spec: CoupaUpdatedPollSpec<Tx>): PollDefinition {
  const { handler, pollName, ...source } = spec;
  return {
    platform: ctx.client.platform,
    resource: pollName,
    intervalMs: ctx.settings.intervalMs,
    cycle: incrementalPollCycle({
      platform: ctx.client.platform,
      resource: pollName,
      ledger: ctx.ledger,
      transaction: ctx.transaction,
      handler,
      pageSize: ctx.settings.pageSize,
      overlapMs: ctx.settings.overlapMs,
      source: coupaUpdatedSource({ ...source, client: ctx.client }),
      ...(ctx.observer ? { observer: ctx.observer } : {}),
    }),
  };
}
