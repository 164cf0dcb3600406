import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorDetail, FusionHttpError } from './fusion-errors';

/** Plain JSON object as parsed from a request body. */
export type JsonObject = { [key: string]: unknown };

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads and parses a JSON object body. Oversized bodies are refused with 413 as soon as the limit
 * is crossed (the rest is drained, not buffered); empty, malformed or non-object bodies give 400.
 */
export async function readJsonObject(req: IncomingMessage, limitBytes: number): Promise<JsonObject> {
  const text = await readText(req, limitBytes);
  if (text.trim() === '') {
    throw new FusionHttpError(400, [errorDetail('The request body is empty; a JSON object is expected.', 'BODY_EMPTY')]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FusionHttpError(400, [
      errorDetail(`The request body is not valid JSON: ${(err as Error).message}`, 'BODY_MALFORMED_JSON'),
    ]);
  }
  if (!isJsonObject(parsed)) {
    throw new FusionHttpError(400, [errorDetail('The request body must be a JSON object.', 'BODY_NOT_OBJECT')]);
  }
  return parsed;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** The body as text; 413 once it crosses the limit (the rest is drained, not buffered). */
export async function readText(req: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) {
    throw new FusionHttpError(413, [errorDetail(`The request body is ${size} bytes; the limit is ${limitBytes} bytes.`, 'BODY_TOO_LARGE')]);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An `application/x-www-form-urlencoded` body (the OAuth token request). */
export async function readForm(req: IncomingMessage, limitBytes: number): Promise<URLSearchParams> {
  return new URLSearchParams(await readText(req, limitBytes));
}

export function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}
