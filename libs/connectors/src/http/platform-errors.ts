/**
 * How a platform call failed, in the terms a caller decides on: retry (the platform is down or
 * throttling), stop and alert (our credentials are refused), or give up on this request (the
 * platform refused what we sent). Every error carries `retriable` and a stable `code`, which the
 * messaging runtime's failure classification reads, and names the platform and operation — never
 * a credential, token or request body.
 */
export abstract class PlatformError extends Error {
  abstract readonly code: string;
  abstract readonly retriable: boolean;

  constructor(
    readonly platform: string,
    readonly operation: string,
    message: string,
    /** HTTP status of the platform's answer; undefined when there was none. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${platform} ${operation}: ${message}`, options);
    this.name = new.target.name;
  }
}

/**
 * 401 or 403, or a token endpoint that refuses our client. Retrying with the same credentials
 * cannot succeed and may lock the integration user, so pollers stop and the metric alerts.
 */
export class PlatformAuthError extends PlatformError {
  readonly code = 'PLATFORM_AUTH';
  readonly retriable = false;
}

/** 5xx, a timeout or a refused connection: the platform is (for now) not there. */
export class PlatformUnavailableError extends PlatformError {
  readonly code = 'PLATFORM_UNAVAILABLE';
  readonly retriable = true;
}

/**
 * 429: the platform asks us to slow down, for `retryAfterMs` when it said so (Retry-After).
 * `holdPartitionMs` tells a consumer to pause the partition that long without spending the
 * record's retry budget: throttling is nobody's record's fault, so a long spell of 429s must
 * dead-letter nothing (1 s when the platform named no time).
 */
export class PlatformRateLimitedError extends PlatformError {
  readonly code = 'PLATFORM_RATE_LIMITED';
  readonly retriable = true;
  readonly holdPartitionMs: number;

  constructor(platform: string, operation: string, readonly retryAfterMs: number | undefined) {
    super(platform, operation, `rate limited (429)${retryAfterMs === undefined ? '' : `, retry after ${retryAfterMs} ms`}`, 429);
    this.holdPartitionMs = retryAfterMs ?? 1000;
  }
}

/** Any other 4xx: the platform refused this request; `detail` is the platform's own message. */
export class PlatformRequestError extends PlatformError {
  readonly code = 'PLATFORM_REQUEST_REFUSED';
  readonly retriable = false;

  constructor(platform: string, operation: string, status: number, readonly detail: string) {
    super(platform, operation, `refused with ${status}: ${detail}`, status);
  }
}

/** The platform answered 2xx with a body that is not the JSON the resource documents. */
export class PlatformResponseError extends PlatformError {
  readonly code = 'PLATFORM_BAD_RESPONSE';
  readonly retriable = true;
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
