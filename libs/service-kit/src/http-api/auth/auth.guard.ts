import { ForbiddenException, Inject, Injectable, SetMetadata, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthenticationError, JwtVerifier, type Caller } from './jwt-verifier';
import type { Role } from './roles';

const ROLES_KEY = 'finmesh:roles';
const PUBLIC_KEY = 'finmesh:public';

/** The roles an endpoint admits; a caller needs at least one of them. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);
/** Health probes and the OpenAPI document need no token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export interface AuthenticatedRequest extends Request {
  caller?: Caller;
}

/**
 * 401 when the caller is not authenticated (no token, bad token), 403 when it is but lacks a
 * role the endpoint admits. Both say why, so a platform team can fix its client without a ticket.
 * An endpoint without @Roles and without @Public is refused: forgetting to declare roles must not
 * open an endpoint to every authenticated client.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JwtVerifier) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    let caller: Caller;
    try {
      caller = await this.verifier.verify(request.headers.authorization);
    } catch (err) {
      if (err instanceof AuthenticationError) {
        throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message: err.message });
      }
      throw err;
    }
    request.caller = caller;
    const admitted = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!admitted.some((r) => caller.roles.includes(r))) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `client '${caller.clientId}' has roles [${caller.roles.join(', ')}]; this endpoint admits [${admitted.join(', ')}]`,
      });
    }
    return true;
  }
}
