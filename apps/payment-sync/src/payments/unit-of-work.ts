import type { OutboxEvent } from '@finmesh/messaging';
import type { ServiceAuditEntry } from '@finmesh/service-kit';

/**
 * One transaction: SQL plus events written through the outbox, committed together. The HTTP path
 * builds it from `dataSource.transaction` + `outbox.enqueue`, a consumer handler from its
 * HandlerContext (so a parked payment resolved by InvoicePosted commits with that event's inbox row).
 * `audit` appends to the audit trail in the same transaction (actor defaults to the service).
 */
export interface UnitOfWork {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  emit(events: readonly OutboxEvent[]): Promise<void>;
  audit(entry: ServiceAuditEntry): Promise<unknown>;
}
