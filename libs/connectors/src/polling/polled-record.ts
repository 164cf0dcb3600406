/**
 * One record as a poller read it from a platform. `key` and `version` identify what was read:
 * the same key at the same version is the same fact, however often it is re-read (overlapping
 * windows, a restart mid-page, a crash before marking it exported).
 */
export interface PolledRecord<T> {
  /** The platform's id of the record (Fusion CheckId/SupplierId/InvoiceId, Coupa id). */
  readonly key: string;
  /** The record's version as the platform states it (its update timestamp, plus a revision if it has one). */
  readonly version: string;
  /** When the platform says the record last changed: drives the watermark and the lag metric. */
  readonly changedAt: Date;
  readonly data: T;
}

/** A page of a platform collection. */
export interface PolledPage<T> {
  readonly records: readonly PolledRecord<T>[];
  readonly hasMore: boolean;
}

/**
 * What a handler did with a record: `undefined` (applied), or `'deferred'`: the record is not
 * ready to be applied yet (a Coupa receiving transaction still pending approval). A deferred
 * record gets no ledger entry and is not marked exported, so it is read again until it is ready.
 * Meant for exported-flag polls: an incremental poll moves its watermark past a deferred record,
 * which it then reads again only while it is inside the overlap window.
 */
export type HandlerResult = void | 'deferred';

/**
 * Applies one new record in the caller's transaction: map it, update the service's state and
 * write its events to the outbox. Throwing a non-retriable error (a mapping error, a business
 * rule) rejects just this record (recorded in the poll ledger, visible to ops); a retriable one
 * (database down) aborts the page, which is polled again after a backoff.
 */
export type PolledRecordHandler<T, Tx> = (record: PolledRecord<T>, tx: Tx) => Promise<HandlerResult>;

/** Runs `work` in one database transaction of the service (TypeORM's `dataSource.transaction`). */
export type TransactionRunner<Tx> = <R>(work: (tx: Tx) => Promise<R>) => Promise<R>;
