import * as avro from 'avsc';
import { explainInvalidDecimal, type DecimalSpec } from '../money/decimal-text';
import { toUnscaled } from '../money/unscaled';
import { bigintToTwosComplement, decimalFromTwosComplement, decimalFromTwosComplementAt } from './decimal';
import { DAY_MS, isoDay } from './iso-time';

/**
 * avsc logical types for the finmesh contracts. The TypeScript shapes they produce are what
 * `libs/contracts/src/generated/events.ts` declares:
 *   decimal (bytes)          -> string, canonical, exactly `scale` fraction digits
 *   timestamp-millis (long)  -> Date
 *   date (int)               -> string 'YYYY-MM-DD' (a calendar date has no time zone)
 *   uuid (string)            -> string, format-checked
 * A `_toValue` that returns undefined makes avsc report the value as invalid at its field path.
 */

type AvroSchemaObject = Record<string, unknown>;

/** The part of avsc's (untyped) Tap that a logical type reading its own bytes uses. */
interface AvroTap {
  buf: Buffer;
  pos: number;
  readLong(): number;
}

function schemaNumber(schema: unknown, key: string): number | undefined {
  const v = (schema as AvroSchemaObject)[key];
  return typeof v === 'number' ? v : undefined;
}

export class DecimalLogicalType extends avro.types.LogicalType {
  readonly spec: DecimalSpec;

  constructor(schema: avro.Schema, opts?: Partial<avro.ForSchemaOptions>) {
    super(schema, opts);
    const precision = schemaNumber(schema, 'precision');
    const scale = schemaNumber(schema, 'scale') ?? 0;
    if (precision === undefined || precision < 1) throw new Error('decimal logical type needs a positive precision');
    if (scale < 0 || scale > precision) throw new Error(`decimal scale ${scale} must be between 0 and precision ${precision}`);
    this.spec = { precision, scale };
  }

  protected override _fromValue(buf: Buffer): string {
    return decimalFromTwosComplement(buf, this.spec.scale);
  }

  /**
   * Reads the bytes where they lie instead of through avsc's `bytes` reader, which copies every
   * value into a fresh Buffer first: an event carries several amounts, and that allocation was
   * most of a decimal's decoding cost. A resolver (another schema version) calls this too.
   * Truncated input leaves the tap invalid, which avsc reports after the read.
   */
  _read(tap: AvroTap): string | undefined {
    const length = tap.readLong();
    const start = tap.pos;
    tap.pos += length;
    if (length < 0 || tap.pos > tap.buf.length) {
      tap.pos = tap.buf.length + 1;
      return undefined;
    }
    return decimalFromTwosComplementAt(tap.buf, start, length, this.spec.scale);
  }

  protected override _toValue(value: unknown): Buffer | undefined {
    if (explainInvalidDecimal(value, this.spec) !== undefined) return undefined;
    return bigintToTwosComplement(toUnscaled(value as string, this.spec.scale));
  }

  // avsc hands a resolver the value the WRITER type read. A decimal writer has already turned the
  // bytes into canonical text at the same scale, so it is passed on as it is.
  protected override _resolve(type: avro.Type): ((value: string) => string) | undefined {
    if (type instanceof DecimalLogicalType && type.spec.scale === this.spec.scale && type.spec.precision <= this.spec.precision) {
      return (value) => value;
    }
    return undefined;
  }

  protected override _export(schema: avro.Schema): void {
    (schema as AvroSchemaObject)['precision'] = this.spec.precision;
    (schema as AvroSchemaObject)['scale'] = this.spec.scale;
  }
}

export class TimestampMillisLogicalType extends avro.types.LogicalType {
  protected override _fromValue(millis: number): Date {
    return new Date(millis);
  }

  protected override _toValue(value: unknown): number | undefined {
    return value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : undefined;
  }

  // A timestamp-millis writer has already read a Date; a plain long writer hands over the millis.
  protected override _resolve(type: avro.Type): ((value: Date | number) => Date) | undefined {
    if (type instanceof TimestampMillisLogicalType) return (value) => value as Date;
    if (avro.Type.isType(type, 'long')) return (millis) => this._fromValue(millis as number);
    return undefined;
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a real calendar date, or undefined (2025-02-30 is refused, not rolled over). */
export function isoDateToEpochDays(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return Math.round(ms / DAY_MS);
}

export class DateLogicalType extends avro.types.LogicalType {
  protected override _fromValue(days: number): string {
    return isoDay(days);
  }

  protected override _toValue(value: unknown): number | undefined {
    return isoDateToEpochDays(value);
  }

  // A date writer has already read 'YYYY-MM-DD'; a plain int writer hands over the day number.
  protected override _resolve(type: avro.Type): ((value: string | number) => string) | undefined {
    if (type instanceof DateLogicalType) return (value) => value as string;
    if (avro.Type.isType(type, 'int')) return (days) => this._fromValue(days as number);
    return undefined;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class UuidLogicalType extends avro.types.LogicalType {
  protected override _fromValue(value: string): string {
    return value;
  }

  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }

  protected override _resolve(type: avro.Type): ((value: string) => string) | undefined {
    if (avro.Type.isType(type, 'string', 'logical:uuid')) return (v) => v;
    return undefined;
  }
}

export const FINMESH_LOGICAL_TYPES = {
  decimal: DecimalLogicalType,
  'timestamp-millis': TimestampMillisLogicalType,
  date: DateLogicalType,
  uuid: UuidLogicalType,
} as const;

/** Builds an avsc type for a finmesh schema with the finmesh logical types. */
export function avroTypeFor(schema: avro.Schema | object): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, {
    logicalTypes: FINMESH_LOGICAL_TYPES as unknown as avro.ForSchemaOptions['logicalTypes'],
    wrapUnions: false,
  });
}

/** Reason a value fails a logical type, for error messages that say why and not just where. */
export function explainLogicalTypeFailure(type: avro.Type, value: unknown): string | undefined {
  if (type instanceof DecimalLogicalType) return explainInvalidDecimal(value, type.spec);
  if (type instanceof TimestampMillisLogicalType) return `expected a valid Date (timestamp-millis), got ${describe(value)}`;
  if (type instanceof DateLogicalType) return `expected a calendar date 'YYYY-MM-DD', got ${describe(value)}`;
  if (type instanceof UuidLogicalType) return `expected a UUID, got ${describe(value)}`;
  return undefined;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing (field missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
