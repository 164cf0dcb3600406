import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { legalEntityScopeOf, type LegalEntityScope } from './legal-entity-scope';
import { isRole, type Role } from './roles';

export interface JwtSettings {
  readonly issuer: string;
  readonly audience: string;
  /** Exactly one key source: a JWKS URL, an inline JWKS document, or an HS256 secret (local/dev). */
  readonly jwksUrl?: string;
  readonly jwks?: string;
  readonly hs256Secret?: string;
}

/** Who is calling, as the verified token says. */
export interface Caller {
  readonly clientId: string;
  readonly roles: readonly Role[];
  /** The legal entities it may act on (`legal_entities` claim; none without it). */
  readonly legalEntities: LegalEntityScope;
}

/** The token is missing or cannot be trusted: HTTP 401, with the reason. */
export class AuthenticationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/**
 * Verifies bearer JWTs with `jose`: signature against the configured keys, issuer, audience,
 * expiry; then requires a `client_id` and a `roles` array of known roles (unknown roles are
 * ignored, so a new role in the identity provider does not lock callers out), and reads the
 * `legal_entities` the client may act on (legal-entity-scope.ts).
 */
export class JwtVerifier {
  private readonly key: JWTVerifyGetKey | Uint8Array;

  constructor(private readonly settings: JwtSettings) {
    if (settings.jwksUrl) this.key = createRemoteJWKSet(new URL(settings.jwksUrl));
    else if (settings.jwks) this.key = createLocalJWKSet(JSON.parse(settings.jwks) as Parameters<typeof createLocalJWKSet>[0]);
    else if (settings.hs256Secret) this.key = new TextEncoder().encode(settings.hs256Secret);
    else throw new Error('no JWT verification key configured');
  }

  async verify(authorization: string | undefined): Promise<Caller> {
    if (!authorization) throw new AuthenticationError('missing Authorization header: send "Authorization: Bearer <JWT>"');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new AuthenticationError('Authorization header must be "Bearer <JWT>"');
    let payload: Record<string, unknown>;
    try {
      const verified =
        this.key instanceof Uint8Array
          ? await jwtVerify(match[1]!, this.key, { issuer: this.settings.issuer, audience: this.settings.audience })
          : await jwtVerify(match[1]!, this.key, { issuer: this.settings.issuer, audience: this.settings.audience });
      payload = verified.payload;
    } catch (err) {
      throw new AuthenticationError(describeJoseError(err));
    }
    const clientId = payload['client_id'] ?? payload['azp'];
    if (typeof clientId !== 'string' || clientId.length === 0) throw new AuthenticationError('token has no client_id claim');
    const roles = Array.isArray(payload['roles']) ? payload['roles'].filter(isRole) : [];
    return { clientId, roles, legalEntities: legalEntityScopeOf(payload['legal_entities']) };
  }
}

function describeJoseError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'token expired';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `token claim '${err.claim}' is not valid: ${err.reason}`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature does not verify';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'token was signed with a key this service does not trust';
  if (err instanceof joseErrors.JOSEError) return `token rejected: ${err.message}`;
  return `token rejected: ${err instanceof Error ? err.message : String(err)}`;
}
