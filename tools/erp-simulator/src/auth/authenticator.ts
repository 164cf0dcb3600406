import type { IncomingMessage } from 'node:http';
import { errorDetail, FusionHttpError } from '../fusion-errors';
import { DEV_CLIENTS, DEV_USERS, mayAccess, type AuthOptions, type SimulatorClient, type SimulatorUser } from './credentials';
import type { Principal } from './principal';
import { TokenIssuer } from './token-issuer';

const REALM = 'Oracle Fusion Applications (simulator)';
const CHALLENGE = `Basic realm="${REALM}", Bearer realm="${REALM}"`;

function unauthorized(detail: string, challenge = CHALLENGE): FusionHttpError {
  return new FusionHttpError(401, [errorDetail(detail, 'UNAUTHORIZED')], undefined, { 'www-authenticate': challenge });
}

export interface BasicCredentials {
  readonly name: string;
  readonly secret: string;
}

/** `Authorization: Basic base64(name:secret)`; undefined when absent or not Basic. */
export function basicCredentials(authorization: string | undefined): BasicCredentials | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { name: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * Checks the credentials of a Fusion call: HTTP Basic against the configured users, or a bearer
 * token from the token endpoint. 401 (with WWW-Authenticate) when missing, wrong, expired,
 * unknown or revoked; 403 when the principal may not call this resource.
 */
export class Authenticator {
  readonly tokens: TokenIssuer;
  private readonly users: readonly SimulatorUser[];
  private readonly clients: readonly SimulatorClient[];
  private readonly disabledUsers = new Set<string>();
  private readonly disabledClients = new Set<string>();
  private readonly allowAnonymous: boolean;

  constructor(options: AuthOptions, tokenTtlSeconds: number, now?: () => number) {
    this.users = options.users ?? DEV_USERS;
    this.clients = options.clients ?? DEV_CLIENTS;
    this.allowAnonymous = options.allowAnonymous ?? false;
    this.tokens = new TokenIssuer(tokenTtlSeconds, now);
  }

  authenticate(req: IncomingMessage, resource: string | null): Principal {
    const authorization = req.headers.authorization;
    if (authorization === undefined || authorization.trim() === '') {
      if (this.allowAnonymous) return { kind: 'anonymous', name: 'anonymous' };
      throw unauthorized('Authentication is required: send HTTP Basic credentials or an OAuth 2.0 bearer token.');
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (bearer) return this.bearer(bearer[1]!, resource);
    const basic = basicCredentials(authorization);
    if (basic) return this.basic(basic, resource);
    throw unauthorized('The Authorization header is neither Basic nor Bearer.');
  }

  /** The client for the token endpoint's client authentication, or a 401 invalid_client. */
  client(clientId: string, clientSecret: string): SimulatorClient | undefined {
    const client = this.clients.find((c) => c.clientId === clientId && c.clientSecret === clientSecret);
    return client && !this.disabledClients.has(client.clientId) ? client : undefined;
  }

  revoke(target: { username?: string; clientId?: string; tokens?: 'all' }): { revokedTokens: number } {
    let revokedTokens = 0;
    if (target.username !== undefined) this.disabledUsers.add(target.username);
    if (target.clientId !== undefined) {
      this.disabledClients.add(target.clientId);
      revokedTokens += this.tokens.revoke(target.clientId);
    }
    if (target.tokens === 'all') revokedTokens += this.tokens.revoke();
    return { revokedTokens };
  }

  restore(target: { username?: string; clientId?: string; all?: boolean }): void {
    if (target.username !== undefined) this.disabledUsers.delete(target.username);
    if (target.clientId !== undefined) this.disabledClients.delete(target.clientId);
    if (target.all) {
      this.disabledUsers.clear();
      this.disabledClients.clear();
    }
  }

  private basic({ name, secret }: BasicCredentials, resource: string | null): Principal {
    const user = this.users.find((u) => u.username === name && u.password === secret);
    if (!user) throw unauthorized('The user name or password is not valid.');
    if (this.disabledUsers.has(user.username)) throw unauthorized(`The user ${user.username} is revoked.`);
    if (!mayAccess(user.resources, resource)) throw forbidden(user.username, resource);
    return { kind: 'user', name: user.username };
  }

  private bearer(token: string, resource: string | null): Principal {
    const checked = this.tokens.check(token);
    if (!checked.ok) {
      const description = checked.reason === 'expired' ? 'The access token expired' : 'The access token is not valid';
      throw unauthorized(`${description}.`, `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`);
    }
    const client = this.clients.find((c) => c.clientId === checked.clientId);
    if (!client || this.disabledClients.has(checked.clientId)) {
      throw unauthorized('The access token is not valid.', `Bearer realm="${REALM}", error="invalid_token", error_description="The client is revoked"`);
    }
    if (!mayAccess(client.resources, resource)) throw forbidden(client.clientId, resource);
    return { kind: 'client', name: client.clientId, scope: checked.scope };
  }
}

function forbidden(who: string, resource: string | null): FusionHttpError {
  return new FusionHttpError(403, [errorDetail(`${who} is not authorized to access the resource ${resource ?? '(unknown)'}.`, 'FORBIDDEN')]);
}
