/**
 * What the platform HTTP client asks of an authentication scheme: the Authorization header value
 * for the next request, and a way to drop a cached token that the platform has just refused
 * (revoked or rotated before its expiry), so the next request fetches a fresh one.
 */
export interface Authorizer {
  authorization(): Promise<string>;
  invalidate(): void;
  /** Who we authenticate as (user or client id), for logs and metrics; never a secret. */
  readonly principal: string;
}
