import type { BusinessRuleBreach } from '../business-rules/business-rule-set';

/**
 * Typed codec failures. Consumers route on `retriable` (spelled as kafkajs spells its errors' flag, so
 * one classifier reads one property): a permanent error goes straight to the
 * dead-letter topic with its original bytes; a retriable one (registry unreachable) is retried.
 */
export abstract class CodecError extends Error {
  abstract readonly code: string;
  abstract readonly retriable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The bytes are not in the Confluent wire format (magic byte 0, 4-byte schema id, body). */
export class MalformedWireFormatError extends CodecError {
  readonly code = 'MALFORMED_WIRE_FORMAT';
  readonly retriable = false;
}

/** The schema id in the header is not known to the registry. */
export class UnknownSchemaIdError extends CodecError {
  readonly code = 'UNKNOWN_SCHEMA_ID';
  readonly retriable = false;
  constructor(readonly schemaId: number, registryUrl: string) {
    super(`schema id ${schemaId} is not known to the schema registry at ${registryUrl}`);
  }
}

/** The Avro body ends before the writer schema's fields do. */
export class TruncatedPayloadError extends CodecError {
  readonly code = 'TRUNCATED_PAYLOAD';
  readonly retriable = false;
}

/** The Avro body has bytes left over after the writer schema's last field: wrong schema id or corruption. */
export class TrailingBytesError extends CodecError {
  readonly code = 'TRAILING_BYTES';
  readonly retriable = false;
}

/** The body could not be decoded with its writer schema (corrupt lengths, bad enum index, …). */
export class UndecodablePayloadError extends CodecError {
  readonly code = 'UNDECODABLE_PAYLOAD';
  readonly retriable = false;
}

/** The writer schema is a record this service does not know as a finmesh event. */
export class UnknownEventTypeError extends CodecError {
  readonly code = 'UNKNOWN_EVENT_TYPE';
  readonly retriable = false;
}

/** The writer schema cannot be read with the local (reader) schema: a contract break. */
export class IncompatibleSchemaError extends CodecError {
  readonly code = 'INCOMPATIBLE_SCHEMA';
  readonly retriable = false;
}

export interface FieldProblem {
  /** Dotted path inside the record, e.g. `lines.0.unitPrice.amount`. */
  readonly path: string;
  readonly message: string;
}

/** A value does not conform to its schema; refused before anything is produced. */
export class SchemaValidationError extends CodecError {
  readonly code = 'SCHEMA_VALIDATION';
  readonly retriable = false;
  constructor(readonly recordName: string, readonly problems: readonly FieldProblem[]) {
    super(`${recordName} is invalid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
}

/**
 * A schema-valid value breaks the events' business rules (schemas/business-rules.json): refused
 * before it is produced, dead-lettered when consumed. Each problem names the rule it breaks.
 */
export class BusinessRuleViolationError extends CodecError {
  readonly code = 'BUSINESS_RULE_VIOLATION';
  readonly retriable = false;
  readonly problems: readonly FieldProblem[];
  constructor(readonly recordName: string, readonly breaches: readonly BusinessRuleBreach[]) {
    super(`${recordName} breaks ${breaches.length} business rule(s): ${breaches.map((b) => `${b.path} ${b.message} (rule ${b.rule})`).join('; ')}`);
    this.problems = breaches.map((b) => ({ path: b.path, message: `${b.message} (rule ${b.rule})` }));
  }
}

/** The local schema has not been registered under its subject (run `npm run schemas:register`). */
export class SchemaNotRegisteredError extends CodecError {
  readonly code = 'SCHEMA_NOT_REGISTERED';
  readonly retriable = false;
}

/** The registry could not be reached or answered 5xx: worth retrying. */
export class RegistryUnavailableError extends CodecError {
  readonly code = 'REGISTRY_UNAVAILABLE';
  readonly retriable = true;
}
