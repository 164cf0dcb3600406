import type { Logger } from 'pino';
import { isJsonObject } from './http-io';
import { ValidationProblems } from './fusion-errors';

/** Where to push a payment's JSON: finmesh's payment-sync webhook in the demo and tests. */
export interface DeliveryTarget {
  readonly url: string;
  readonly bearerToken?: string;
}

export interface DeliveryResult {
  readonly url: string;
  readonly delivered: boolean;
  /** HTTP status of the receiver's answer; absent when there was no answer. */
  readonly status?: number;
  readonly error?: string;
}

/** Parses an optional `deliverTo` object; records a validation problem if it is malformed. */
export function parseDeliveryTarget(value: unknown, problems: ValidationProblems): DeliveryTarget | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value) || typeof value['url'] !== 'string') {
    problems.add('deliverTo', 'deliverTo must be an object with a url string (and an optional bearerToken).');
    return undefined;
  }
  const url = value['url'];
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    problems.add('deliverTo.url', `deliverTo.url must be an absolute http(s) URL, got "${url}".`);
    return undefined;
  }
  const token = value['bearerToken'];
  if (token !== undefined && token !== null && typeof token !== 'string') {
    problems.add('deliverTo.bearerToken', 'deliverTo.bearerToken must be a string.');
    return undefined;
  }
  return { url, ...(typeof token === 'string' ? { bearerToken: token } : {}) };
}

/**
 * POSTs one JSON document. A failure (non-2xx, refused connection, timeout) is reported, never
 * retried: retries and redelivery are the receiver's problem to test, via the admin API.
 */
export async function deliverJson(
  target: DeliveryTarget,
  body: unknown,
  options: { timeoutMs: number; event: string; logger: Logger },
): Promise<DeliveryResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-erp-simulator-event': options.event,
  };
  if (target.bearerToken) headers['authorization'] = `Bearer ${target.bearerToken}`;
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // Drain the body so the connection can be reused or closed cleanly.
    await response.arrayBuffer().catch(() => undefined);
    const delivered = response.status >= 200 && response.status < 300;
    options.logger.info({ url: target.url, status: response.status, event: options.event }, 'payment delivered');
    return {
      url: target.url,
      delivered,
      status: response.status,
      ...(delivered ? {} : { error: `receiver answered HTTP ${response.status}` }),
    };
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause;
    const message = cause?.message ?? (err as Error).message;
    options.logger.warn({ url: target.url, err: message, event: options.event }, 'payment delivery failed');
    return { url: target.url, delivered: false, error: message };
  }
}
