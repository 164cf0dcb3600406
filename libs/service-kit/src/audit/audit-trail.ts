import { Inject, Injectable } from '@nestjs/common';
import { appendAudit, type AuditEntryInput } from '@finmesh/messaging';
import { type SqlExecutor } from '@finmesh/persistence';
import { EntityManager, type QueryRunner } from 'typeorm';
import type { ServiceConfig } from '../config/service-config';
import type { Caller } from '../http-api/auth/jwt-verifier';
import { SERVICE_CONFIG } from '../bootstrap/tokens';
import { DeferredAuditAppender } from './deferred-audit-appender';

/** An audit entry as a service reports it: the service name is filled in, the actor defaults to the service. */
export type ServiceAuditEntry = Omit<AuditEntryInput, 'service' | 'actor'> & { readonly actor?: string };

/**
 * The audit trail as services use it: one call per state transition, with the transaction that
 * makes the transition, so the row exists exactly when the change does. Event-driven changes are
 * attributed to `service:<name>`; HTTP commands to the caller's verified client id.
 * The table itself (finmesh_audit.audit_log) is created by ServiceActivation.
 *
 * With a TypeORM transaction (EntityManager or QueryRunner) the row is appended when that
 * transaction commits (see DeferredAuditAppender for why); any other executor (a pg client in a
 * transaction) appends at once. Outside a transaction it refuses: the chain needs one.
 */
@Injectable()
export class AuditTrail {
  private readonly appender = new DeferredAuditAppender();

  constructor(@Inject(SERVICE_CONFIG) private readonly config: Pick<ServiceConfig, 'serviceName'>) {}

  /** The actor of changes the service makes on its own (consumed events, scheduled retries). */
  get serviceActor(): string {
    return serviceActor(this.config.serviceName);
  }

  /** The API caller's subject, or the service itself when there is no caller. */
  actorFor(caller: Caller | undefined): string {
    return caller ? caller.clientId : this.serviceActor;
  }

  async record(tx: SqlExecutor, entry: ServiceAuditEntry): Promise<void> {
    const full: AuditEntryInput = { ...entry, actor: entry.actor ?? this.serviceActor, service: this.config.serviceName };
    const queryRunner = typeOrmQueryRunnerOf(tx);
    if (queryRunner === undefined) {
      await appendAudit(tx, full);
      return;
    }
    if (!queryRunner.isTransactionActive) throw new Error(`audit of ${entry.action} ${entry.entityId} outside a transaction: pass the transaction's manager`);
    const subscribers = queryRunner.connection.subscribers;
    if (!subscribers.includes(this.appender)) subscribers.push(this.appender);
    this.appender.defer(queryRunner, full);
  }
}

export function serviceActor(serviceName: string): string {
  return `service:${serviceName}`;
}

/** The query runner behind a TypeORM EntityManager or QueryRunner; undefined for other executors (pg clients). */
function typeOrmQueryRunnerOf(tx: SqlExecutor): QueryRunner | undefined {
  if (tx instanceof EntityManager) {
    // dataSource.manager (no transaction) has no query runner: refuse rather than append on the pool.
    if (tx.queryRunner === undefined) throw new Error('audit needs a transaction: pass the EntityManager of dataSource.transaction or the handler context');
    return tx.queryRunner;
  }
  const candidate = tx as Partial<QueryRunner>;
  return typeof candidate.startTransaction === 'function' && typeof candidate.isTransactionActive === 'boolean' ? (tx as QueryRunner) : undefined;
}
