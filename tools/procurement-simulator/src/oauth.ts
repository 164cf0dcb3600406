/**
 * OAuth 2.0 client credentials as Coupa documents it (compass.coupa.com, The Coupa Core API >
 * "OAuth 2.0 and OIDC", "OpenID Connect Clients", "Set Up an OpenID Connect Client"):
 *  - `POST /oauth2/token`, `Content-Type: application/x-www-form-urlencoded`, form
 *    `client_id`, `client_secret`, `grant_type=client_credentials`, `scope` (space-separated);
 *  - the answer carries `access_token`, valid "for the next 24 hours (expires_in 86,399 seconds)";
 *    tokens "are provided in JWT format"; API calls send `Authorization: Bearer <token>`;
 *  - scopes take the form `service.object.right`; the ones finmesh needs (as Coupa's NetSuite OAuth
 *    setup page lists them): core.purchase_order.read/.write, core.inventory.receiving.read/.write,
 *    core.invoice.read/.write; API keys (`X-COUPA-API-KEY`) "are no longer supported".
 * Simulator choices (not documented by Coupa): `token_type` is `bearer`; the answer also echoes
 * `scope`; an omitted `scope` grants all of the client's scopes; a requested scope the client does
 * not have is `invalid_scope` (400); a bad client or secret is `invalid_client` (401); client
 * credentials in an HTTP Basic header are accepted too (RFC 6749 2.3.1). Errors follow RFC 6749 /
 * RFC 6750: 401 with `WWW-Authenticate: Bearer` (plus `error="invalid_token"` for an unknown,
 * expired or revoked token), 403 `insufficient_scope` naming the scope the resource needs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { oauthError, coupaError } from './coupa-errors';
import type { Clock } from './clock';

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
}

export const COUPA_SCOPES = [
  'core.purchase_order.read',
  'core.purchase_order.write',
  'core.inventory.receiving.read',
  'core.inventory.receiving.write',
  'core.invoice.read',
  'core.invoice.write',
  // Unconfirmed names (Coupa's service.object.right pattern): see suppliers.ts.
  'core.supplier.read',
  'core.supplier.write',
] as const;

/** Coupa access tokens live about 24 h: 86,399 s in Coupa's own example. */
export const DEFAULT_TOKEN_TTL_SECONDS = 86_399;

interface IssuedToken {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly expiresAtMs: number;
  revoked: boolean;
}

export interface TokenAnswer {
  readonly access_token: string;
  readonly token_type: 'bearer';
  readonly expires_in: number;
  readonly scope: string;
}

export class TokenService {
  private readonly clients = new Map<string, OAuthClient>();
  private readonly tokens = new Map<string, IssuedToken>();
  /** Clients whose tokens are revoked and who get no new token until restored. */
  private readonly revokedClients = new Set<string>();
  private readonly signingKey = randomBytes(32);

  constructor(
    clients: readonly OAuthClient[],
    private readonly clock: Clock,
    private ttlSeconds: number = DEFAULT_TOKEN_TTL_SECONDS,
  ) {
    for (const c of clients) this.clients.set(c.clientId, c);
  }

  get tokenTtlSeconds(): number {
    return this.ttlSeconds;
  }

  set tokenTtlSeconds(seconds: number) {
    this.ttlSeconds = seconds;
  }

  /** The token endpoint's grant: form fields (and an optional Basic header) -> token answer. */
  issue(form: URLSearchParams, basic: { id: string; secret: string } | undefined): TokenAnswer {
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') {
      throw oauthError(400, 'unsupported_grant_type', `grant_type must be client_credentials, got ${JSON.stringify(grantType)}`);
    }
    const clientId = form.get('client_id') ?? basic?.id;
    const secret = form.get('client_secret') ?? basic?.secret;
    const client = clientId === undefined ? undefined : this.clients.get(clientId);
    if (!client || secret !== client.clientSecret) {
      throw oauthError(401, 'invalid_client', 'Client authentication failed (unknown client or wrong secret).', { 'www-authenticate': 'Basic realm="coupa"' });
    }
    if (this.revokedClients.has(client.clientId)) throw oauthError(401, 'invalid_client', `Client ${client.clientId} is deactivated.`);
    const requested = (form.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
    const unknown = requested.filter((s) => !client.scopes.includes(s));
    if (unknown.length > 0) throw oauthError(400, 'invalid_scope', `Client ${client.clientId} may not request ${unknown.join(' ')}.`);
    const scopes = requested.length > 0 ? requested : [...client.scopes];
    const issuedAtMs = this.clock.millis();
    const expiresAtMs = issuedAtMs + this.ttlSeconds * 1000;
    const token = this.jwt({ sub: client.clientId, scope: scopes.join(' '), iat: Math.floor(issuedAtMs / 1000), exp: Math.floor(expiresAtMs / 1000), jti: randomBytes(8).toString('hex') });
    this.tokens.set(token, { clientId: client.clientId, scopes, expiresAtMs, revoked: false });
    return { access_token: token, token_type: 'bearer', expires_in: this.ttlSeconds, scope: scopes.join(' ') };
  }

  /** The client id of a request's bearer token that carries `scope`; 401 / 403 otherwise. */
  authorize(authorization: string | undefined, apiKey: string | undefined, scope: string): string {
    if (apiKey !== undefined && authorization === undefined) {
      throw coupaError(401, 'API keys are no longer supported; use an OAuth 2.0 access token.', 'error', { 'www-authenticate': 'Bearer realm="coupa"' });
    }
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) throw coupaError(401, 'An OAuth 2.0 bearer token is required.', 'error', { 'www-authenticate': 'Bearer realm="coupa"' });
    const token = this.tokens.get(m[1] ?? '');
    const invalid = (why: string) => coupaError(401, `The access token is ${why}.`, 'error', { 'www-authenticate': `Bearer realm="coupa", error="invalid_token", error_description="${why}"` });
    if (!token) throw invalid('unknown');
    if (token.revoked) throw invalid('revoked');
    if (this.clock.millis() >= token.expiresAtMs) throw invalid('expired');
    if (!token.scopes.includes(scope)) {
      throw coupaError(403, `The access token lacks the scope ${scope}.`, 'error', { 'www-authenticate': `Bearer realm="coupa", error="insufficient_scope", scope="${scope}"` });
    }
    return token.clientId;
  }

  /** Revokes every token (of one client, or all) and refuses new ones until restore. */
  revoke(clientId?: string): number {
    let count = 0;
    for (const t of this.tokens.values()) {
      if ((clientId === undefined || t.clientId === clientId) && !t.revoked) {
        t.revoked = true;
        count += 1;
      }
    }
    for (const id of clientId === undefined ? this.clients.keys() : [clientId]) this.revokedClients.add(id);
    return count;
  }

  /** Lets the client(s) get tokens again; revoked tokens stay revoked. */
  restore(clientId?: string): void {
    if (clientId === undefined) this.revokedClients.clear();
    else this.revokedClients.delete(clientId);
  }

  /** Expires every issued token now (as if a day had passed). */
  expireAll(): number {
    const now = this.clock.millis();
    let count = 0;
    for (const [key, t] of this.tokens) {
      if (t.expiresAtMs > now) {
        this.tokens.set(key, { ...t, expiresAtMs: now });
        count += 1;
      }
    }
    return count;
  }

  clientIds(): string[] {
    return [...this.clients.keys()];
  }

  activeTokens(): number {
    const now = this.clock.millis();
    return [...this.tokens.values()].filter((t) => !t.revoked && t.expiresAtMs > now).length;
  }

  private jwt(claims: Record<string, unknown>): string {
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }
}

/** Client credentials of an HTTP Basic header, if any. */
export function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}
