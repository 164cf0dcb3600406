import { CodecError } from '@finmesh/contracts';

export type FailureKind = 'transient' | 'permanent';

/**
 * Thrown by a handler when an event is schema-valid but its business content cannot be applied
 * (unknown currency for the legal entity, negative quantity, …). Retrying cannot help, so the
 * record goes straight to the dead-letter topic with this message.
 */
export class BusinessRuleViolation extends Error {
  readonly code: string;
  constructor(message: string, code = 'BUSINESS_RULE') {
    super(message);
    this.name = 'BusinessRuleViolation';
    this.code = code;
  }
}

/**
 * The same event id came back with other content than was applied under it (an upstream re-send
 * that changed the event instead of publishing a new one). Every consumer refuses it alike, so no
 * two services ever hold different versions of one event.
 */
export class EventIdConflictError extends BusinessRuleViolation {
  constructor(eventId: string, appliedHash: string, receivedHash: string) {
    super(
      `event id ${eventId} was applied before with other content (content digest ${shortDigest(appliedHash)}…, this one ${shortDigest(receivedHash)}…): a re-send must carry the same content, a change is a new event with a new id`,
      'EVENT_ID_CONFLICT',
    );
    this.name = 'EventIdConflictError';
  }
}

/** The first hex digits of a digest, without its scheme prefix. */
function shortDigest(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1, digest.indexOf(':') + 13);
}

/** Thrown by a handler to ask for a retry explicitly (e.g. a downstream API answered 503). */
export class TransientFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientFailure';
  }
}

// PostgreSQL SQLSTATE classes and codes that are worth retrying: connection exceptions (08),
// serialization failures and deadlocks (40001, 40P01), lock timeouts (55P03), insufficient
// resources (53), operator intervention / shutdown (57P01-57P03).
const TRANSIENT_SQLSTATE = /^(08|53|40001|40P01|55P03|57P0[123])/;

const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH']);

function prop(err: unknown, key: string): unknown {
  return err && typeof err === 'object' && key in err ? (err as Record<string, unknown>)[key] : undefined;
}

export interface ClassifiedFailure {
  readonly kind: FailureKind;
  /** Stable code for the dead-letter header, e.g. UNKNOWN_SCHEMA_ID, BUSINESS_RULE, PG_23505. */
  readonly code: string;
  readonly message: string;
}

/**
 * Decides retry or dead-letter. Unknown errors count as transient: a bug or an outage deserves
 * the retry budget before a record is parked, and the budget bounds the cost.
 */
export function classifyFailure(err: unknown): ClassifiedFailure {
  const message =
    err instanceof Error ? err.message : typeof prop(err, 'message') === 'string' ? String(prop(err, 'message')) : JSON.stringify(err) ?? String(err);
  if (err instanceof CodecError) return { kind: err.retriable ? 'transient' : 'permanent', code: err.code, message };
  if (err instanceof BusinessRuleViolation) return { kind: 'permanent', code: err.code, message };
  if (err instanceof TransientFailure) return { kind: 'transient', code: 'TRANSIENT', message };
  const sqlState = prop(err, 'code');
  // Integrity (23) and data (22) errors are the event's fault: retrying cannot fix them.
  if (typeof sqlState === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(sqlState)) return { kind: 'permanent', code: `PG_${sqlState}`, message };
  const transient = transientInfrastructureCode(err);
  if (transient) return { kind: 'transient', code: transient, message };
  // An error that says it is not worth retrying (a platform refusing our credentials or request).
  if (prop(err, 'retriable') === false && typeof sqlState === 'string') return { kind: 'permanent', code: sqlState, message };
  return { kind: 'transient', code: 'UNCLASSIFIED', message };
}

/**
 * The code of a failure that retrying later can cure, or undefined: a PostgreSQL connection,
 * serialization or resource error, a network error, or an error that declares itself retriable
 * (kafkajs, platform outages and 429s). Code that must tell "the infrastructure hiccupped" from
 * "this input is bad" (a poller deciding between backing off and rejecting one record) uses
 * this rather than guessing.
 */
export function transientInfrastructureCode(err: unknown): string | undefined {
  const code = prop(err, 'code');
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE.test(code)) return `PG_${code}`;
  if (typeof code === 'string' && TRANSIENT_NODE_CODES.has(code)) return code;
  if (prop(err, 'retriable') === true) return typeof code === 'string' ? code : String(prop(err, 'type') ?? 'KAFKA_RETRIABLE');
  return undefined;
}

/**
 * How long to hold the partition for a failure that is nobody's record's fault: an error that
 * carries `holdPartitionMs` (a platform sink whose circuit breaker is open) says the downstream
 * is down as a whole. The consumer then pauses the partition for that long without spending the
 * record's retry budget, so an outage longer than the budget parks nothing in the dead-letter
 * topic; the partition simply makes no progress until the platform is back.
 */
export function partitionHoldMs(err: unknown): number | undefined {
  const hold = prop(err, 'holdPartitionMs');
  return typeof hold === 'number' && Number.isFinite(hold) && hold >= 0 ? hold : undefined;
}
