import type { SqlExecutor } from '@finmesh/persistence';
import type { ConnectorObserver } from '../observability/connector-observer';
import { applyPage, type PageOutcome } from './apply-page';
import type { PollLedger } from './poll-ledger';
import type { PolledPage, PolledRecord, PolledRecordHandler, TransactionRunner } from './polled-record';

/** What one poll cycle did, for logs, metrics and tests. */
export interface CycleStats {
  readonly pages: number;
  readonly fetched: number;
  readonly applied: number;
  readonly rejected: number;
}

/** One pass over a resource until the platform has nothing more for now. */
export interface PollCycle {
  run(): Promise<CycleStats>;
}

interface CycleCommon<T, Tx extends SqlExecutor> {
  readonly platform: string;
  readonly resource: string;
  readonly ledger: PollLedger;
  readonly transaction: TransactionRunner<Tx>;
  readonly handler: PolledRecordHandler<T, Tx>;
  readonly pageSize: number;
  readonly observer?: ConnectorObserver;
  /** Called after each page committed (tests use it to crash at a chosen point). */
  readonly afterPage?: (outcome: PageOutcome) => Promise<void> | void;
  readonly now?: () => number;
}

/** Fusion-style: records changed at or after a time, ordered by change time, with offset paging. */
export interface IncrementalSource<T> {
  /** Records with change time >= `from`, ascending by change time (then key), from `offset`. */
  fetch(from: Date, offset: number, limit: number): Promise<PolledPage<T>>;
}

export interface IncrementalCycleOptions<T, Tx extends SqlExecutor> extends CycleCommon<T, Tx> {
  readonly source: IncrementalSource<T>;
  /**
   * How far behind the watermark each cycle starts again. A platform commits a row with the
   * update time of its transaction's start, so a long transaction can make a row appear after
   * later rows were already read; re-reading the last `overlapMs` picks it up, and the ledger
   * turns the re-read rows into no-ops.
   */
  readonly overlapMs: number;
  /** Where a resource without a watermark starts (default: the epoch, i.e. a full initial load). */
  readonly initialWatermark?: Date;
}

/**
 * The watermark cycle. Pages are read keyset-style: each page asks for change time >= the last
 * page's last change time, skipping (by offset) only the rows of that same instant already read.
 * Plain offset paging over a window would skip a row whenever a row of an earlier page changed
 * (and so left its place) during the cycle. The watermark moves to the last change time of each
 * page, in the page's transaction: a crash mid-cycle resumes from the last committed page.
 */
export function incrementalPollCycle<T, Tx extends SqlExecutor>(o: IncrementalCycleOptions<T, Tx>): PollCycle {
  return {
    run: async () => {
      const start = await o.transaction((tx) => o.ledger.watermark(tx, o.resource));
      let cursor = new Date((start ?? o.initialWatermark ?? new Date(0)).getTime() - (start ? o.overlapMs : 0));
      let tieOffset = 0;
      const stats = { pages: 0, fetched: 0, applied: 0, rejected: 0 };
      for (;;) {
        const page = await o.source.fetch(cursor, tieOffset, o.pageSize);
        if (page.records.length === 0) break;
        const last = page.records[page.records.length - 1]!.changedAt;
        const outcome = await applyPage({ ...o, records: page.records, advanceWatermarkTo: last });
        count(stats, page.records.length, outcome);
        observeLag(o.observer, o.platform, o.resource, o.now, outcome.applied);
        await o.afterPage?.(outcome);
        const atLast = page.records.filter((r) => r.changedAt.getTime() === last.getTime()).length;
        tieOffset = last.getTime() === cursor.getTime() ? tieOffset + atLast : atLast;
        cursor = last;
        if (!page.hasMore) break;
      }
      return stats;
    },
  };
}

/** Coupa-style: records not yet exported, then each marked exported once applied. */
export interface ExportedFlagSource<T> {
  /** Records whose exported flag is false, from `offset`. */
  fetchUnexported(offset: number, limit: number): Promise<PolledPage<T>>;
  /** Sets the record's exported flag (its own request, as Coupa documents). */
  markExported(record: PolledRecord<T>): Promise<void>;
}

export interface ExportedFlagCycleOptions<T, Tx extends SqlExecutor> extends CycleCommon<T, Tx> {
  readonly source: ExportedFlagSource<T>;
}

/**
 * The exported-flag cycle: fetch unexported records, apply them, commit, then mark each applied
 * one exported. A crash between the commit and the mark leaves the record unexported; the next
 * cycle reads it again, the ledger knows that version is applied, and the record is only marked.
 * Rejected and deferred records stay unexported (the platform's own view shows them as not
 * integrated) and are stepped over by offset; a new version in the platform resets the flag and
 * is applied anew, a deferred one is offered again next cycle.
 */
export function exportedFlagPollCycle<T, Tx extends SqlExecutor>(o: ExportedFlagCycleOptions<T, Tx>): PollCycle {
  return {
    run: async () => {
      let offset = 0;
      const stats = { pages: 0, fetched: 0, applied: 0, rejected: 0 };
      for (;;) {
        const page = await o.source.fetchUnexported(offset, o.pageSize);
        if (page.records.length === 0) break;
        const outcome = await applyPage({ ...o, records: page.records });
        count(stats, page.records.length, outcome);
        observeLag(o.observer, o.platform, o.resource, o.now, outcome.applied);
        await o.afterPage?.(outcome);
        for (const record of [...outcome.applied, ...outcome.alreadyApplied]) await o.source.markExported(record as PolledRecord<T>);
        offset += outcome.rejected.length + outcome.alreadyRejected.length + outcome.deferred.length;
        if (!page.hasMore) break;
      }
      return stats;
    },
  };
}

function count(stats: { pages: number; fetched: number; applied: number; rejected: number }, fetched: number, outcome: PageOutcome): void {
  stats.pages += 1;
  stats.fetched += fetched;
  stats.applied += outcome.applied.length;
  stats.rejected += outcome.rejected.length;
}

function observeLag(observer: ConnectorObserver | undefined, platform: string, resource: string, clock: (() => number) | undefined, applied: readonly PolledRecord<unknown>[]): void {
  const recordLag = observer?.recordLag;
  if (!recordLag) return;
  const now = (clock ?? Date.now)();
  for (const r of applied) recordLag({ platform, resource, seconds: (now - r.changedAt.getTime()) / 1000 });
}
