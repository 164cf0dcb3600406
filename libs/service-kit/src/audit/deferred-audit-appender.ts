import { appendAuditBatch, type AuditEntryInput } from '@finmesh/messaging';
import type { EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

/**
 * Holds a transaction's audit entries and appends them right before it commits (TypeORM's
 * beforeTransactionCommit, still inside the transaction: a failed append fails the commit).
 *
 * Why not append at once: appendAudit takes the chain's advisory lock, held until commit. Taken
 * mid-transaction, every lock the transaction acquires afterwards (a supplier's advisory lock,
 * an invoice row, the next record of a consumer batch) is acquired while holding it, and another
 * transaction holding one of those while waiting for the chain lock deadlocks with it. Appending
 * last makes the chain lock always the last lock taken (no cycle) and keeps it for only the
 * inserts and the COMMIT.
 */
export class DeferredAuditAppender implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, AuditEntryInput[]>();

  defer(queryRunner: QueryRunner, entry: AuditEntryInput): void {
    const list = this.pending.get(queryRunner);
    if (list) list.push(entry);
    else this.pending.set(queryRunner, [entry]);
  }

  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const entries = this.pending.get(event.queryRunner);
    if (!entries) return;
    this.pending.delete(event.queryRunner);
    await appendAuditBatch(event.queryRunner, entries);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // Rolled back with the changes they describe; a reused query runner must not carry them over.
    this.pending.delete(event.queryRunner);
  }
}
