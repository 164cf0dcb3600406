/** The aggregates and operator objects whose changes the audit trail records. */
export type AuditEntityType = 'supplier' | 'purchase_order' | 'invoice' | 'payment' | 'dead_letter' | 'consumer_group' | 'read_model';

/** Summary of an entity's state before or after a change: status, amounts, key fields (never bank details or tax ids). */
export type AuditSummary = Record<string, unknown>;

/** One state transition or operator action, as a service or tool reports it. */
export interface AuditEntryInput {
  readonly entityType: AuditEntityType;
  readonly entityId: string;
  /** What happened, e.g. 'invoice.approved', 'dead_letter.replayed'. */
  readonly action: string;
  /** Who caused it: the API caller's subject, an operator, or `service:<name>` for event-driven changes. */
  readonly actor: string;
  readonly before: AuditSummary | null;
  readonly after: AuditSummary | null;
  /** The consumed event that caused the change, or the event the change emitted; null for operator actions without one. */
  readonly causingEventId: string | null;
  readonly correlationId?: string | null;
  /** The service or tool that wrote the row. */
  readonly service: string;
  /** When the change happened (defaults to the moment of the append). */
  readonly occurredAt?: Date;
}

/**
 * Exactly the fields a row's hash covers, in the textual form they are hashed in. The writer
 * builds it from what it inserts; the verifier rebuilds it from what it reads back, so both sides
 * hash identical bytes unless the row was changed.
 */
export interface AuditRowContent {
  readonly id: string;
  readonly recordedAt: string;
  readonly occurredAt: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly action: string;
  readonly actor: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly causingEventId: string | null;
  readonly correlationId: string | null;
  readonly service: string;
  readonly prevHash: string | null;
}
