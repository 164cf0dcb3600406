import type { ClientCredentialsSettings } from '../credentials/platform-auth-settings';
import { PlatformAuthError, PlatformRateLimitedError, PlatformResponseError, PlatformUnavailableError, parseRetryAfter } from '../http/platform-errors';
import type { Authorizer } from './authorizer';

export interface ClientCredentialsOptions {
  /** Platform name for errors and logs ('fusion', 'coupa'). */
  readonly platform: string;
  readonly timeoutMs?: number;
  /** Injectable clock (ms since epoch) for tests. */
  readonly now?: () => number;
  /** Called whenever a token is fetched, for metrics (never given the token). */
  readonly onTokenFetched?: (lifetimeSeconds: number) => void;
}

interface CachedToken {
  readonly header: string;
  /** Refresh from this moment on (ms since epoch): before the platform's expiry, see below. */
  readonly refreshAt: number;
}

/** When the token endpoint does not say how long a token lives (RFC 6749 §5.1 makes it optional). */
const ASSUMED_LIFETIME_S = 300;

/**
 * OAuth 2.0 client-credentials grant (RFC 6749 §4.4) with a cached token.
 *
 * - A token is refreshed *before* it expires: after 90% of its lifetime, and at least a minute
 *   early when it lives long enough (half its lifetime otherwise). Coupa tokens live about 24 h,
 *   Oracle identity-domain tokens an hour; refreshing early avoids a request failing with 401
 *   because the token expired on its way.
 * - Concurrent callers share one token request (single flight), so a burst after expiry does
 *   not hammer the identity provider.
 * - `invalidate()` drops the token when the platform refused it (revoked or rotated early).
 * - A refusal by the token endpoint (400 invalid_client / invalid_scope, 401) is a
 *   PlatformAuthError naming the OAuth error code; the secret is never part of any message.
 */
export class ClientCredentialsAuthorizer implements Authorizer {
  readonly principal: string;
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly settings: ClientCredentialsSettings,
    private readonly options: ClientCredentialsOptions,
  ) {
    this.principal = settings.clientId;
    this.now = options.now ?? Date.now;
  }

  async authorization(): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < cached.refreshAt) return cached.header;
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    this.cached = await this.inFlight;
    return this.cached.header;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async fetchToken(): Promise<CachedToken> {
    const { settings, options } = this;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (settings.scopes.length > 0) form.set('scope', settings.scopes.join(' '));
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (settings.clientAuthentication === 'basic') {
      // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding.
      const user = `${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret.reveal())}`;
      headers['authorization'] = `Basic ${Buffer.from(user, 'utf8').toString('base64')}`;
    } else {
      form.set('client_id', settings.clientId);
      form.set('client_secret', settings.clientSecret.reveal());
    }
    const operation = 'token request';
    let response: Response;
    try {
      response = await fetch(settings.tokenUrl, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new PlatformUnavailableError(options.platform, operation, `token endpoint unreachable (${describeFetchError(err)})`, undefined, { cause: err });
    }
    const text = await response.text();
    if (response.status === 429) throw new PlatformRateLimitedError(options.platform, operation, parseRetryAfter(response.headers.get('retry-after')));
    if (response.status >= 500) throw new PlatformUnavailableError(options.platform, operation, `token endpoint answered ${response.status}`, response.status);
    if (!response.ok) {
      throw new PlatformAuthError(options.platform, operation, `client '${settings.clientId}' refused with ${response.status} (${oauthErrorCode(text)})`, response.status);
    }
    const body = parseJson(text);
    const token = body?.['access_token'];
    const type = body?.['token_type'];
    if (typeof token !== 'string' || token.length === 0 || typeof type !== 'string' || type.toLowerCase() !== 'bearer') {
      throw new PlatformResponseError(options.platform, operation, 'token endpoint answered without a bearer access_token');
    }
    const expiresIn = body?.['expires_in'];
    const lifetime = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : Number(expiresIn) > 0 ? Number(expiresIn) : ASSUMED_LIFETIME_S;
    options.onTokenFetched?.(lifetime);
    return { header: `Bearer ${token}`, refreshAt: this.now() + refreshAfterMs(lifetime) };
  }
}

/** How long to use a token of `lifetimeSeconds` before fetching the next one. */
export function refreshAfterMs(lifetimeSeconds: number): number {
  const lifetimeMs = lifetimeSeconds * 1000;
  const margin = Math.max(lifetimeMs * 0.1, Math.min(60_000, lifetimeMs / 2));
  return lifetimeMs - margin;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The RFC 6749 §5.2 `error` code (invalid_client, invalid_scope...), which carries no secret. */
function oauthErrorCode(text: string): string {
  const code = parseJson(text)?.['error'];
  return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : 'no OAuth error code';
}

export function describeFetchError(err: unknown): string {
  // Duck-typed: fetch's errors come from Node's own realm, where `instanceof Error` of a
  // sandboxed caller (Jest's VM context) does not hold.
  const e = err !== null && typeof err === 'object' ? (err as { name?: unknown; cause?: { code?: unknown } }) : {};
  if (typeof e.cause?.code === 'string') return e.cause.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  return typeof e.name === 'string' ? e.name : 'error';
}
