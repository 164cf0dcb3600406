import type { Authorizer } from '../auth/authorizer';
import { describeFetchError } from '../auth/client-credentials-authorizer';
import type { CallOutcome, ConnectorObserver } from '../observability/connector-observer';
import {
  PlatformAuthError,
  PlatformError,
  PlatformRateLimitedError,
  PlatformRequestError,
  PlatformResponseError,
  PlatformUnavailableError,
  parseRetryAfter,
} from './platform-errors';

export interface PlatformHttpClientOptions {
  /** 'fusion', 'coupa': names the platform in errors, logs and metrics. */
  readonly platform: string;
  /** e.g. https://pod.oraclecloud.com/fscmRestApi/resources/11.13.18.05 (no trailing slash). */
  readonly baseUrl: string;
  readonly authorizer: Authorizer;
  readonly timeoutMs?: number;
  readonly observer?: ConnectorObserver;
}

export interface PlatformRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the base URL, starting with '/'. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Low-cardinality name for metrics and errors: the resource and verb, never an id. */
  readonly operation: string;
}

export interface PlatformResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/**
 * The one way finmesh calls a platform's REST API: authenticated, timed out, and with every
 * failure turned into a {@link PlatformError} that says whether to retry.
 *
 * A 401 drops the cached token and is tried once more with a fresh one (the token may have
 * been revoked or rotated before its expiry); a second 401, or a 403, is a PlatformAuthError.
 * Nothing else is retried here: the caller (a poller, a sink) owns backoff and its budget.
 */
export class PlatformHttpClient {
  constructor(private readonly options: PlatformHttpClientOptions) {}

  get platform(): string {
    return this.options.platform;
  }

  async request(req: PlatformRequest): Promise<PlatformResponse> {
    const started = process.hrtime.bigint();
    let outcome: CallOutcome = 'ok';
    try {
      let response = await this.send(req);
      if (response.status === 401) {
        this.options.authorizer.invalidate();
        response = await this.send(req);
      }
      return await this.interpret(req, response);
    } catch (err) {
      outcome = outcomeOf(err);
      throw err;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.options.observer?.platformCall?.({ platform: this.options.platform, operation: req.operation, outcome, seconds });
    }
  }

  private async send(req: PlatformRequest): Promise<Response> {
    const { platform, baseUrl, authorizer } = this.options;
    const url = new URL(`${baseUrl}${req.path}`);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    headers['authorization'] = await authorizer.authorization();
    if (req.body !== undefined) headers['content-type'] ??= 'application/json';
    try {
      return await fetch(url, {
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new PlatformUnavailableError(platform, req.operation, `no answer (${describeFetchError(err)})`, undefined, { cause: err });
    }
  }

  private async interpret(req: PlatformRequest, response: Response): Promise<PlatformResponse> {
    const { platform, authorizer } = this.options;
    const text = await response.text();
    const status = response.status;
    if (status === 401 || status === 403) {
      const why = status === 401 ? 'credentials refused (401)' : 'access denied (403)';
      throw new PlatformAuthError(platform, req.operation, `${why} for '${authorizer.principal}'`, status);
    }
    if (status === 429) throw new PlatformRateLimitedError(platform, req.operation, parseRetryAfter(response.headers.get('retry-after')));
    if (status >= 500 || status === 408) throw new PlatformUnavailableError(platform, req.operation, `answered ${status}`, status);
    if (status >= 400) throw new PlatformRequestError(platform, req.operation, status, errorDetail(text));
    if (text.length === 0) return { status, body: undefined, headers: response.headers };
    try {
      return { status, body: JSON.parse(text) as unknown, headers: response.headers };
    } catch {
      throw new PlatformResponseError(platform, req.operation, `answered ${status} with a body that is not JSON`, status);
    }
  }
}

function outcomeOf(err: unknown): CallOutcome {
  if (err instanceof PlatformAuthError) return 'auth_refused';
  if (err instanceof PlatformRateLimitedError) return 'rate_limited';
  if (err instanceof PlatformUnavailableError) return 'unavailable';
  if (err instanceof PlatformResponseError) return 'bad_response';
  if (err instanceof PlatformError) return 'refused';
  return 'unavailable';
}

/**
 * The platform's own reason, shortened: Fusion answers `{title, detail, o:errorDetails:[{detail}]}`
 * (or plain text), Coupa `{errors: {...}}` or XML-ish text. Bounded, so a huge HTML error page
 * does not end up in a log line or a dead letter.
 */
function errorDetail(text: string): string {
  let detail = text;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const details = body['o:errorDetails'];
    if (Array.isArray(details) && details.length > 0) {
      detail = details.map((d) => (d && typeof d === 'object' ? String((d as Record<string, unknown>)['detail'] ?? '') : String(d))).join('; ');
    } else if (typeof body['detail'] === 'string') detail = body['detail'];
    else if (typeof body['title'] === 'string') detail = body['title'];
    else if (body['errors'] !== undefined) detail = JSON.stringify(body['errors']);
  } catch {
    // not JSON: keep the text
  }
  detail = detail.replace(/\s+/g, ' ').trim();
  return detail.length > 500 ? `${detail.slice(0, 500)}…` : detail || '(no detail)';
}
