import { SignJWT } from 'jose';
import type { Role } from './roles';

export interface DevTokenRequest {
  readonly clientId: string;
  readonly roles: readonly Role[];
  /** The HS256 secret the services were started with (FINMESH_JWT_SECRET). */
  readonly secret: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** e.g. '1h', '15m'; default 1 hour. */
  readonly expiresIn?: string;
  /** Company codes the client may act on; default every entity (`["*"]`); null leaves the claim out (an identity provider that does not issue it). */
  readonly legalEntities?: readonly string[] | null;
}

/**
 * Mints an HS256 token for local stacks, tests and the demo. Production deployments verify tokens
 * from the organisation's identity provider (FINMESH_JWT_JWKS_URL) and never use this.
 */
export async function mintDevToken(request: DevTokenRequest): Promise<string> {
  const legalEntities = request.legalEntities === undefined ? ['*'] : request.legalEntities;
  return new SignJWT({ client_id: request.clientId, roles: [...request.roles], ...(legalEntities === null ? {} : { legal_entities: [...legalEntities] }) })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(request.issuer ?? 'finmesh')
    .setAudience(request.audience ?? 'finmesh-api')
    .setSubject(request.clientId)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(request.secret));
}
