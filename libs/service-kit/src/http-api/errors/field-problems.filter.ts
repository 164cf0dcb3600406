import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import type { Response } from 'express';

/** Any error that lists what is wrong with a payload, field by field. */
export interface FieldProblemsError extends Error {
  readonly problems: ReadonlyArray<{ readonly path: string; readonly reason?: string; readonly message?: string }>;
}

export function isFieldProblemsError(err: unknown): err is FieldProblemsError {
  return err instanceof Error && Array.isArray((err as Partial<FieldProblemsError>).problems);
}

/**
 * Payloads that cannot be mapped or fail the contract get HTTP 422 listing every bad field path
 * and the reason, so a platform fixes all of them in one go. Nothing was published: the mapping
 * and validation happen before anything is written.
 */
@Catch()
export class FieldProblemsFilter extends BaseExceptionFilter {
  override catch(err: unknown, host: ArgumentsHost): void | Observable<never> {
    // Event handlers (RPC context): hand the original error back to the transport, which
    // classifies it for retry or dead-lettering; the HTTP error rendering does not apply there.
    if (host.getType() !== 'http') return throwError(() => err);
    if (!isFieldProblemsError(err)) return super.catch(err, host);
    const response = host.switchToHttp().getResponse<Response>();
    response.status(422).json({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: `${err.problems.length} field(s) cannot be accepted`,
      problems: err.problems.map((p) => ({ path: p.path, reason: p.reason ?? p.message ?? 'invalid' })),
    });
  }
}
