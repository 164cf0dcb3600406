import type { IncomingMessage, ServerResponse } from 'node:http';
import { coupaError } from './coupa-errors';

/** Plain JSON object as parsed from a request body. */
export type JsonObject = { [key: string]: unknown };

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The raw body as text; 413 past the limit (the rest is drained, not buffered). */
export async function readText(req: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limitBytes) chunks.push(chunk);
  }
  if (size > limitBytes) throw coupaError(413, `The request body is ${size} bytes; the limit is ${limitBytes} bytes.`);
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body (object or array); undefined for an empty body; 400 for malformed JSON. */
export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const text = await readText(req, limitBytes);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw coupaError(400, `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** A JSON object body; 400 when it is empty or not an object. */
export async function readJsonObject(req: IncomingMessage, limitBytes: number): Promise<JsonObject> {
  const body = await readJson(req, limitBytes);
  if (!isJsonObject(body)) throw coupaError(400, 'The request body must be a JSON object.');
  return body;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
