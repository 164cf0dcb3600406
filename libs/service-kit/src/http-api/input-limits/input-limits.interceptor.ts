import { Injectable, UnsupportedMediaTypeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { DEFAULT_JSON_INPUT_LIMITS, jsonInputProblems, type InputProblem } from './json-input-limits';

/** A body that breaks the shared input limits: answered 422 with every path (FieldProblemsFilter). */
export class InputLimitsError extends Error {
  constructor(readonly problems: readonly InputProblem[]) {
    super(`${problems.length} field(s) break the input limits`);
    this.name = 'InputLimitsError';
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/** `application/json` or a `+json` type (problem+json, merge-patch+json), with any parameters. */
function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

function hasBody(request: Request): boolean {
  const length = Number(request.headers['content-length'] ?? '0');
  return length > 0 || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Every write endpoint of every service takes JSON within the shared limits (json-input-limits.ts)
 * before its handler, the idempotency claim or any store sees the body: a body of another media
 * type is 415 (the JSON parser left it unread, and an endpoint would see an empty object), a body
 * breaking a limit 422 naming each path. Registered before the idempotency interceptor.
 */
@Injectable()
export class InputLimitsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    if (WRITES.has(request.method) && hasBody(request)) {
      if (!isJson(request.headers['content-type'])) {
        throw new UnsupportedMediaTypeException(`this endpoint takes application/json; the body was sent as ${request.headers['content-type'] ?? 'no content type'}`);
      }
      const problems = jsonInputProblems(request.body, DEFAULT_JSON_INPUT_LIMITS);
      if (problems.length > 0) throw new InputLimitsError(problems);
    }
    return next.handle();
  }
}
