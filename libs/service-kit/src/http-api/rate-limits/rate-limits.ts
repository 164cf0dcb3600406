import { HttpException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { LOGGER, SERVICE_CONFIG } from '../../bootstrap/tokens';
import type { ServiceConfig } from '../../config/service-config';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { TokenBucket } from '@finmesh/connectors';
import type { BucketLimit } from './bucket-limit';

/** Reads (GET, HEAD) and writes (everything else) have buckets of their own: a burst of polling reads never starves a platform's writes. */
export type EndpointClass = 'read' | 'write';

export interface RateLimitSettings {
  readonly read: BucketLimit;
  readonly write: BucketLimit;
  /** Per platform client (the token's client id): its own limits for either class. */
  readonly byClient: Readonly<Record<string, Partial<Record<EndpointClass, BucketLimit>>>>;
}

export function endpointClassOf(method: string): EndpointClass {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

/**
 * Spike control on every authenticated endpoint: one token bucket per client and endpoint class
 * (limits from configuration, per platform where set). A request over the limit is refused with
 * 429, a Retry-After header (seconds) and the reason, before any work is done for it (after the
 * token check, which needs no database). Unauthenticated requests stop at that check.
 *
 * The buckets are per service instance: with N replicas a client may reach N times the limit; a
 * shared limit across replicas belongs in the gateway in front of them.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly settings: RateLimitSettings;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.settings = config.rateLimits;
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const clientId = request.caller?.clientId;
    if (clientId === undefined) return true;
    const endpointClass = endpointClassOf(request.method);
    const limit = this.settings.byClient[clientId]?.[endpointClass] ?? this.settings[endpointClass];
    const key = `${endpointClass}\u0000${clientId}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket({ platform: `HTTP ${endpointClass}s of ${clientId}`, capacity: limit.capacity, refillPerSecond: limit.ratePerSecond })));
    const waitMs = bucket.tryTake();
    if (waitMs === undefined) return true;
    // Retry-After takes whole seconds: at least 1, rounded up.
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfterSeconds));
    this.logger.warn({ clientId, endpointClass, retryAfterSeconds }, 'rate limit reached');
    throw new HttpException(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `client '${clientId}' is over its ${endpointClass} limit (${limit.ratePerSecond}/s, bursts of ${limit.capacity}); retry after ${retryAfterSeconds} s`,
      },
      429,
    );
  }
}
