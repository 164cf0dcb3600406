import { randomBytes } from 'node:crypto';

interface IssuedToken {
  readonly clientId: string;
  readonly scope: string | null;
  readonly expiresAt: number;
}

export type TokenCheck = { readonly ok: true; readonly clientId: string; readonly scope: string | null } | { readonly ok: false; readonly reason: 'unknown' | 'expired' };

/** Opaque bearer tokens of the simulated identity domain, with a TTL; revocable. */
export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(clientId: string, scope: string | null): { accessToken: string; expiresIn: number } {
    this.dropExpired();
    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, { clientId, scope, expiresAt: this.now() + this.ttlSeconds * 1000 });
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  check(token: string): TokenCheck {
    const issued = this.tokens.get(token);
    if (!issued) return { ok: false, reason: 'unknown' };
    if (this.now() >= issued.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, clientId: issued.clientId, scope: issued.scope };
  }

  /** Revokes the tokens of one client, or every token; the number revoked. */
  revoke(clientId?: string): number {
    let n = 0;
    for (const [token, issued] of this.tokens) {
      if (clientId === undefined || issued.clientId === clientId) {
        this.tokens.delete(token);
        n++;
      }
    }
    return n;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [token, issued] of this.tokens) if (now >= issued.expiresAt + 60_000) this.tokens.delete(token);
  }
}
