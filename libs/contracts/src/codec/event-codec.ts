import { createHash } from 'node:crypto';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import * as avro from 'avsc';
import { EVENT_NAMES, recordFullName, subjectFor, type EventName } from '../topics/topic-catalog';
import type { BusinessRuleSet } from '../business-rules/business-rule-set';
import {
  BusinessRuleViolationError,
  CodecError,
  IncompatibleSchemaError,
  RegistryUnavailableError,
  SchemaNotRegisteredError,
  SchemaValidationError,
  TrailingBytesError,
  TruncatedPayloadError,
  UndecodablePayloadError,
  UnknownEventTypeError,
  UnknownSchemaIdError,
} from './codec-errors';
import { avroTypeFor, FINMESH_LOGICAL_TYPES } from './logical-types';
import { narrowSchema, type FieldPaths } from './narrowed-schema';
import { validateAgainstSchema } from './schema-validation';
import { frame, unframe } from './wire-format';

/** Where the codec finds the schemas this build was written against (the `.avsc` contract). */
export interface LocalSchemaSource {
  /** Self-contained (all named types inlined) schema of the newest local version of `event`. */
  latestSchema(event: EventName): avro.Schema;
  /** The events' business rules; none are enforced when absent. */
  readonly businessRules?: BusinessRuleSet;
}

export interface EncodedEvent {
  readonly bytes: Buffer;
  readonly schemaId: number;
  readonly subject: string;
}

export interface DecodedEvent<V = unknown> {
  readonly event: EventName;
  readonly schemaId: number;
  /** Full name of the record the producer wrote (its writer schema). */
  readonly writerRecord: string;
  /** The value, resolved into this build's (reader) schema. */
  readonly value: V;
}

interface ResolvedReader {
  readonly event: EventName;
  readonly writerRecord: string;
  readonly reader: avro.Type;
  readonly resolver: avro.Resolver | undefined;
  /** The writer schema without logical types: only for telling truncation from corruption. */
  readonly plainWriter: avro.Type;
}

function isTruncated(plainWriter: avro.Type, body: Buffer): boolean {
  try {
    return plainWriter.decode(body, 0).offset === -1;
  } catch {
    return false;
  }
}

/** Prefix of {@link EventCodec.contentDigest}: SHA-256 over the reader-schema Avro encoding. */
export const CONTENT_DIGEST_SCHEME = 'avro-sha256:';

const EVENT_BY_FULL_NAME: ReadonlyMap<string, EventName> = new Map(EVENT_NAMES.map((e) => [recordFullName(e), e]));

function httpStatus(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'status' in err && typeof err.status === 'number') return err.status;
  return undefined;
}

/**
 * Encodes and decodes finmesh events in the Confluent wire format through the schema registry.
 *
 * Producing: the value is validated against the local contract first (every bad field named),
 * then framed with the registry id of exactly that schema. Producers never auto-register:
 * schemas enter the registry through `npm run schemas:register`, where compatibility is enforced.
 *
 * Consuming: the writer schema is fetched by id (cached) and the value is resolved into the local
 * reader schema, so a consumer built against v1 reads a v2 producer's events and vice versa.
 * Every failure is a typed {@link CodecError}; nothing is silently decoded wrong.
 */
export class EventCodec {
  private readonly localTypes = new Map<EventName, avro.Type>();
  private readonly schemaIds = new Map<string, Promise<number>>();
  private readonly readers = new Map<number, Promise<ResolvedReader>>();
  /** The readers already resolved, for decoding without a promise (a rebuild decodes millions). */
  private readonly readyReaders = new Map<number, ResolvedReader>();

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly registryUrl: string,
    private readonly schemas: LocalSchemaSource,
    /** Set on a codec whose reader schemas are narrowed: its values are partial, so it must not encode. */
    private readonly decodeOnly = false,
  ) {}

  /**
   * A codec that decodes the listed events into reader schemas narrowed to `paths` and the
   * fields the business rules check (see narrowed-schema.ts); other events decode in full. It
   * shares this codec's registry client and cannot encode. A path that does not exist fails here,
   * not at the first record.
   */
  narrowed(paths: Partial<Record<EventName, FieldPaths>>): EventCodec {
    const narrowedSchemas = new Map<EventName, avro.Schema>();
    for (const event of EVENT_NAMES) {
      const eventPaths = paths[event];
      // The fields the business rules check are kept as well, so that a narrowed decode refuses
      // exactly what a full decode refuses (a rebuild then leaves out what live consumers dead-letter).
      const kept = eventPaths && [...eventPaths, ...(this.schemas.businessRules?.fieldPaths(event) ?? [])];
      if (kept) narrowedSchemas.set(event, narrowSchema(this.schemas.latestSchema(event), kept, recordFullName(event)));
    }
    const full = this.schemas;
    // The rules walk what a value has: a narrowed value is checked on the fields it kept.
    const source: LocalSchemaSource = { latestSchema: (event) => narrowedSchemas.get(event) ?? full.latestSchema(event), businessRules: full.businessRules };
    return new EventCodec(this.registry, this.registryUrl, source, true);
  }

  /** A codec whose registry client builds writer types with the finmesh logical types. */
  static create(registryUrl: string, schemas: LocalSchemaSource): EventCodec {
    const registry = new SchemaRegistry(
      { host: registryUrl, retry: { retries: 2, initialRetryTimeInSecs: 0.1, maxRetryTimeInSecs: 2 } },
      {
        [SchemaType.AVRO]: {
          logicalTypes: FINMESH_LOGICAL_TYPES as unknown as avro.ForSchemaOptions['logicalTypes'],
          wrapUnions: false,
        },
      },
    );
    return new EventCodec(registry, registryUrl, schemas);
  }

  /** The avsc type of this build's schema for `event`. */
  localType(event: EventName): avro.Type {
    let type = this.localTypes.get(event);
    if (!type) {
      type = avroTypeFor(this.schemas.latestSchema(event));
      this.localTypes.set(event, type);
    }
    return type;
  }

  /**
   * Throws {@link SchemaValidationError} naming every bad field, then
   * {@link BusinessRuleViolationError} naming every broken business rule; returns quietly when valid.
   */
  validate(event: EventName, value: unknown): void {
    const problems = validateAgainstSchema(this.localType(event), value);
    if (problems.length > 0) throw new SchemaValidationError(recordFullName(event), problems);
    this.assertBusinessRules(event, value);
  }

  /** True when a (decoded) value breaks a business rule: what {@link assertBusinessRules} would refuse. */
  breaksBusinessRules(event: EventName, value: unknown): boolean {
    return (this.schemas.businessRules?.breaches(event, value).length ?? 0) > 0;
  }

  /**
   * Throws {@link BusinessRuleViolationError} when a (decoded) value breaks the events' business
   * rules. Consumers call it after decoding; decoding itself stays rule-free so that operators can
   * still read a dead-lettered breach.
   */
  assertBusinessRules(event: EventName, value: unknown): void {
    const breaches = this.schemas.businessRules?.breaches(event, value) ?? [];
    if (breaches.length > 0) throw new BusinessRuleViolationError(recordFullName(event), breaches);
  }

  async encode(event: EventName, value: unknown, topic?: string): Promise<EncodedEvent> {
    if (this.decodeOnly) throw new Error(`this codec decodes into narrowed reader schemas and cannot encode ${recordFullName(event)}`);
    this.validate(event, value);
    const subject = subjectFor(event, topic);
    const schemaId = await this.schemaIdFor(event, subject);
    const body = this.localType(event).toBuffer(value);
    return { bytes: frame(schemaId, body), schemaId, subject };
  }

  /**
   * The digest of a decoded record's content, for "one truth per event id": SHA-256 of the
   * content's Avro encoding in this build's (reader) schema, so that the same content hashes the
   * same whichever contract version its producer wrote, and transport headers and the schema id
   * never count. A record written with the reader schema itself is hashed as it came (its body is
   * that encoding: no re-encoding on the hot path, a rebuild-speed concern); another writer's is
   * re-encoded. Prefixed with its scheme ({@link CONTENT_DIGEST_SCHEME}), so a digest made another
   * way is recognisably not comparable.
   */
  contentDigest(bytes: Buffer, decoded: DecodedEvent): string {
    const reader = this.readyReaders.get(decoded.schemaId);
    const body = reader && reader.resolver === undefined && !this.decodeOnly ? unframe(bytes).body : this.localType(decoded.event).toBuffer(decoded.value);
    return `${CONTENT_DIGEST_SCHEME}${createHash('sha256').update(body).digest('hex')}`;
  }

  async decode<V = unknown>(bytes: Buffer | null | undefined): Promise<DecodedEvent<V>> {
    const { schemaId, body } = unframe(bytes);
    return this.decodeBody<V>(schemaId, body, await this.readerFor(schemaId));
  }

  /**
   * The same as {@link decode}, synchronously, when the record's writer schema has been resolved
   * before (by an earlier decode); otherwise undefined, and the caller uses `decode`.
   */
  decodeIfReady<V = unknown>(bytes: Buffer | null | undefined): DecodedEvent<V> | undefined {
    const { schemaId, body } = unframe(bytes);
    const reader = this.readyReaders.get(schemaId);
    return reader && this.decodeBody<V>(schemaId, body, reader);
  }

  private decodeBody<V>(schemaId: number, body: Buffer, { event, writerRecord, reader, resolver, plainWriter }: ResolvedReader): DecodedEvent<V> {
    let decoded: { value: unknown; offset: number };
    try {
      decoded = reader.decode(body, 0, resolver);
    } catch (err) {
      // A logical type can choke on the garbage a short buffer yields before avsc notices the
      // end; re-reading with the plain writer schema tells truncation from corruption.
      if (isTruncated(plainWriter, body)) {
        throw new TruncatedPayloadError(`schema id ${schemaId} (${writerRecord}): body of ${body.length} bytes ends before the record does`);
      }
      throw new UndecodablePayloadError(
        `schema id ${schemaId} (${writerRecord}): body of ${body.length} bytes cannot be decoded: ${(err as Error).message}`,
        { cause: err },
      );
    }
    if (decoded.offset === -1) {
      throw new TruncatedPayloadError(`schema id ${schemaId} (${writerRecord}): body of ${body.length} bytes ends before the record does`);
    }
    if (decoded.offset !== body.length) {
      throw new TrailingBytesError(
        `schema id ${schemaId} (${writerRecord}): record ends at byte ${decoded.offset} of ${body.length}; the remaining bytes mean a wrong schema id or corruption`,
      );
    }
    return { event, schemaId, writerRecord, value: decoded.value as V };
  }

  private schemaIdFor(event: EventName, subject: string): Promise<number> {
    let id = this.schemaIds.get(subject);
    if (!id) {
      const schema = JSON.stringify(this.schemas.latestSchema(event));
      id = this.registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema }).catch((err: unknown) => {
        this.schemaIds.delete(subject);
        throw this.registryError(err, () => new SchemaNotRegisteredError(
          `the local schema of ${recordFullName(event)} is not registered under subject '${subject}' at ${this.registryUrl}; run 'npm run schemas:register'`,
        ));
      });
      this.schemaIds.set(subject, id);
    }
    return id;
  }

  private readerFor(schemaId: number): Promise<ResolvedReader> {
    let reader = this.readers.get(schemaId);
    if (!reader) {
      reader = this.resolveReader(schemaId).then(
        (resolved) => {
          this.readyReaders.set(schemaId, resolved);
          return resolved;
        },
        (err: unknown) => {
          this.readers.delete(schemaId); // do not cache failures: the registry may come back
          throw err;
        },
      );
      this.readers.set(schemaId, reader);
    }
    return reader;
  }

  private async resolveReader(schemaId: number): Promise<ResolvedReader> {
    let writer: avro.Type;
    try {
      writer = (await this.registry.getSchema(schemaId)) as unknown as avro.Type;
    } catch (err) {
      throw this.registryError(err, () => new UnknownSchemaIdError(schemaId, this.registryUrl));
    }
    const writerRecord = writer.name ?? '(anonymous)';
    const event = EVENT_BY_FULL_NAME.get(writerRecord);
    if (!event) {
      throw new UnknownEventTypeError(`schema id ${schemaId} describes '${writerRecord}', which is not a finmesh event this build knows`);
    }
    const reader = this.localType(event);
    const plainWriter = avro.Type.forSchema(writer.schema(), { wrapUnions: false });
    if (reader.equals(writer)) return { event, writerRecord, reader, resolver: undefined, plainWriter };
    try {
      return { event, writerRecord, reader, resolver: reader.createResolver(writer), plainWriter };
    } catch (err) {
      throw new IncompatibleSchemaError(
        `schema id ${schemaId} (${writerRecord}) cannot be read with this build's schema: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  /** 404 means "not there" (permanent); no status or 5xx means the registry is unavailable (retriable). */
  private registryError(err: unknown, notFound: () => CodecError): CodecError {
    if (err instanceof CodecError) return err;
    const status = httpStatus(err) ?? httpStatus((err as { originalError?: unknown })?.originalError);
    if (status === 404 || /not found|40403|40401/i.test(String((err as Error)?.message))) return notFound();
    return new RegistryUnavailableError(`schema registry at ${this.registryUrl} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}
