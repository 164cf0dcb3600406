import { Inject, Injectable } from '@nestjs/common';
import { appendAudit, type AppendedAudit, type AuditEntryInput, type SqlExecutor } from '@finmesh/events';
import type { ServiceConfig } from '../config/service-config';
import type { Caller } from '../http-api/auth/jwt-verifier';
import { SERVICE_CONFIG } from '../bootstrap/tokens';

/** An audit entry as a service reports it: the service name is filled in, the actor defaults to the service. */
export type ServiceAuditEntry = Omit<AuditEntryInput, 'service' | 'actor'> & { readonly actor?: string };

/**
 * The audit trail as services use it: one call per state transition, inside the transaction that
 * makes the transition (so the row exists exactly when the change does). Event-driven changes are
 * attributed to `service:<name>`; HTTP commands to the caller's verified client id.
 * The table itself (finmesh_audit.audit_log) is created by ServiceActivation.
 */
@Injectable()
export class AuditTrail {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: Pick<ServiceConfig, 'serviceName'>) {}

  /** The actor of changes the service makes on its own (consumed events, scheduled retries). */
  get serviceActor(): string {
    return serviceActor(this.config.serviceName);
  }

  /** The API caller's subject, or the service itself when there is no caller. */
  actorFor(caller: Caller | undefined): string {
    return caller ? caller.clientId : this.serviceActor;
  }

  record(tx: SqlExecutor, entry: ServiceAuditEntry): Promise<AppendedAudit> {
    return appendAudit(tx, { ...entry, actor: entry.actor ?? this.serviceActor, service: this.config.serviceName });
  }
}

export function serviceActor(serviceName: string): string {
  return `service:${serviceName}`;
}
