import {
  BadRequestException,
  ConflictException,
  HttpException,
  Injectable,
  SetMetadata,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { from, lastValueFrom, of, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { IdempotencyStore } from './idempotency-store';

const IDEMPOTENT_KEY = 'finmesh:idempotent';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Marks a write endpoint: it requires an Idempotency-Key and answers repeats with the first result. */
export const Idempotent = (): MethodDecorator => SetMetadata(IDEMPOTENT_KEY, true);

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !this.reflector.get<boolean>(IDEMPOTENT_KEY, context.getHandler())) return next.handle();
    return from(this.handle(context, next));
  }

  private async handle(context: ExecutionContext, next: CallHandler): Promise<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (typeof key !== 'string' || key.trim().length === 0 || key.length > 200) {
      throw new BadRequestException('this write endpoint requires an Idempotency-Key header (1-200 characters)');
    }
    const clientId = request.caller?.clientId ?? 'anonymous';
    const hash = IdempotencyStore.hash(request.method, request.originalUrl, request.body);
    const claim = await this.store.claim(clientId, key, hash);
    if (claim.kind === 'mismatch') {
      throw new UnprocessableEntityException(`Idempotency-Key '${key}' was already used for a different request`);
    }
    if (claim.kind === 'in-progress') throw new ConflictException(`a request with Idempotency-Key '${key}' is still being processed`);
    if (claim.kind === 'replay') {
      response.status(claim.response.status);
      response.setHeader('Idempotent-Replayed', 'true');
      return lastValueFrom(of(claim.response.body));
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.store.complete(clientId, key, { status: response.statusCode, body });
      return body;
    } catch (err) {
      // 4xx answers are a property of the request: the same request gets the same answer.
      if (err instanceof HttpException && err.getStatus() < 500) {
        await this.store.complete(clientId, key, { status: err.getStatus(), body: err.getResponse() });
      } else {
        await this.store.release(clientId, key);
      }
      throw err;
    }
  }
}
