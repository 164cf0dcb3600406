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
  /** Company codes the client may act on; default every entity (`["*"]`). */
  readonly legalEntities?: readonly string[];
}

/**
 * Mints an HS256 token for local stacks, tests and the demo. Production deployments verify tokens
 * from the organisation's identity provider (FINMESH_JWT_JWKS_URL) and never use this.
 */
export async function mintDevToken(request: DevTokenRequest): Promise<string> {
  return new SignJWT({ client_id: request.clientId, roles: [...request.roles], legal_entities: [...(request.legalEntities ?? ['*'])] })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(request.issuer ?? 'finmesh')
    .setAudience(request.audience ?? 'finmesh-api')
    .setSubject(request.clientId)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(request.secret));
}
