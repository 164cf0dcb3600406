import type { SqlExecutor } from '@finmesh/persistence';
import { transientInfrastructureCode } from '@finmesh/messaging';
import { ledgerId, type PollLedger } from './poll-ledger';
import type { PolledRecord, PolledRecordHandler, TransactionRunner } from './polled-record';

export interface PageOutcome {
  /** Records new to the ledger and applied now. */
  readonly applied: readonly PolledRecord<unknown>[];
  /** Records new to the ledger and rejected now (with their reasons in the ledger). */
  readonly rejected: readonly { readonly record: PolledRecord<unknown>; readonly reason: string }[];
  /** Records the ledger already held as applied (re-reads). */
  readonly alreadyApplied: readonly PolledRecord<unknown>[];
  /** Records the ledger already held as rejected (the same bad version read again). */
  readonly alreadyRejected: readonly PolledRecord<unknown>[];
  /** Records the handler deferred (not ready yet): no ledger entry, read again later. */
  readonly deferred: readonly PolledRecord<unknown>[];
}

export interface ApplyPageInput<T, Tx extends SqlExecutor> {
  readonly resource: string;
  readonly records: readonly PolledRecord<T>[];
  readonly ledger: PollLedger;
  readonly transaction: TransactionRunner<Tx>;
  readonly handler: PolledRecordHandler<T, Tx>;
  /** Moves the resource's watermark in the same transaction (incremental polls). */
  readonly advanceWatermarkTo?: Date;
}

/**
 * Applies one page in one transaction: records already in the ledger are skipped, each new one
 * runs in its own savepoint so a bad record is rejected alone, and the ledger entries and the
 * watermark commit together with the effects. A failure that retrying can cure (the database
 * going away) rolls the whole page back and is thrown, so the poller backs off and re-reads it.
 */
export async function applyPage<T, Tx extends SqlExecutor>(input: ApplyPageInput<T, Tx>): Promise<PageOutcome> {
  const { resource, records, ledger, handler } = input;
  return input.transaction(async (tx) => {
    await ledger.lockResource(tx, resource);
    const seen = await ledger.seen(tx, resource, records);
    const outcome = {
      applied: [] as PolledRecord<T>[],
      rejected: [] as { record: PolledRecord<T>; reason: string }[],
      alreadyApplied: [] as PolledRecord<T>[],
      alreadyRejected: [] as PolledRecord<T>[],
      deferred: [] as PolledRecord<T>[],
    };
    // A page can hold one record twice (a row that changed between two pages of one window).
    const inPage = new Set<string>();
    for (const record of records) {
      const id = ledgerId(record.key, record.version);
      const previous = seen.get(id) ?? (inPage.has(id) ? 'applied' : undefined);
      if (previous === 'applied') {
        outcome.alreadyApplied.push(record);
        continue;
      }
      if (previous === 'rejected') {
        outcome.alreadyRejected.push(record);
        continue;
      }
      inPage.add(id);
      await tx.query('SAVEPOINT finmesh_poll_record');
      try {
        if ((await handler(record, tx)) === 'deferred') {
          await tx.query('ROLLBACK TO SAVEPOINT finmesh_poll_record');
          inPage.delete(id);
          outcome.deferred.push(record);
          continue;
        }
        await tx.query('RELEASE SAVEPOINT finmesh_poll_record');
        await ledger.record(tx, resource, { key: record.key, version: record.version, outcome: 'applied', reason: null, changedAt: record.changedAt });
        outcome.applied.push(record);
      } catch (err) {
        if (transientInfrastructureCode(err)) throw err;
        await tx.query('ROLLBACK TO SAVEPOINT finmesh_poll_record');
        const reason = err instanceof Error ? err.message : String(err);
        await ledger.record(tx, resource, { key: record.key, version: record.version, outcome: 'rejected', reason, changedAt: record.changedAt });
        outcome.rejected.push({ record, reason });
      }
    }
    if (input.advanceWatermarkTo) await ledger.advanceWatermark(tx, resource, input.advanceWatermarkTo);
    return outcome;
  });
}
