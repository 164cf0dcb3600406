import type { OutboxEvent } from '@finmesh/events';

/**
 * One transaction: SQL plus events written through the outbox, committed together. The HTTP path
 * builds it from `dataSource.transaction` + `outbox.enqueue`, a consumer handler from its
 * HandlerContext (so a parked payment resolved by InvoicePosted commits with that event's inbox row).
 */
export interface UnitOfWork {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  emit(events: readonly OutboxEvent[]): Promise<void>;
}
