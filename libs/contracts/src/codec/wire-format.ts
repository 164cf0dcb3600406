import { MalformedWireFormatError } from './codec-errors';

/** Confluent wire format: byte 0 = magic 0, bytes 1-4 = big-endian schema id, then the Avro body. */
export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

export interface WireFrame {
  readonly schemaId: number;
  readonly body: Buffer;
}

export function frame(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

export function unframe(bytes: Buffer | null | undefined): WireFrame {
  if (!bytes || bytes.length === 0) throw new MalformedWireFormatError('message value is empty (tombstone or missing value)');
  if (bytes.length < HEADER_LENGTH) {
    throw new MalformedWireFormatError(`message is ${bytes.length} bytes, shorter than the ${HEADER_LENGTH}-byte wire-format header`);
  }
  const magic = bytes.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new MalformedWireFormatError(`magic byte is ${magic}, expected ${MAGIC_BYTE}: not a schema-registry encoded message`);
  }
  return { schemaId: bytes.readUInt32BE(1), body: bytes.subarray(HEADER_LENGTH) };
}
