import { Catch, HttpException, Inject, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import type { Logger } from 'pino';
import { throwError, type Observable } from 'rxjs';
import type { Response } from 'express';
import { LOGGER } from '../../bootstrap/tokens';
import { currentRequestId } from '../../logging/log-context';

/** Any error that lists what is wrong with a payload, field by field. */
export interface FieldProblemsError extends Error {
  readonly problems: ReadonlyArray<{ readonly path: string; readonly reason?: string; readonly message?: string }>;
}

export function isFieldProblemsError(err: unknown): err is FieldProblemsError {
  return err instanceof Error && Array.isArray((err as Partial<FieldProblemsError>).problems);
}

/** RFC 9457's media type: every error finmesh answers is a problem document. */
export const PROBLEM_JSON = 'application/problem+json';

/**
 * An error of the HTTP layer below Nest's routing that says its own status: the JSON body parser's
 * 413 (body too large) and 400 (not JSON), as the `http-errors` package shapes them.
 */
function clientStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, expose } = err as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true ? status : undefined;
}

/**
 * Every error answer is RFC 9457 problem+json (`type`, `title`, `status`, `detail`), keeping the
 * members clients already read (`statusCode`, `error`, `message`) as extensions:
 *  - payloads that cannot be mapped or fail the contract or the input limits: 422 with
 *    `problems`, every bad field path and its reason, so a platform fixes all of them in one go
 *    (nothing was published: mapping and validation happen before anything is written);
 *  - Nest's HTTP exceptions (401, 403, 404, 409, 415, ...) as they are;
 *  - the body parser's 413 and 400 (json-body-parser.ts), with the path `$`, logged at warn (the
 *    client's mistake, not ours);
 *  - anything else: 500 through Nest's own handling, logged at error.
 */
@Catch()
export class FieldProblemsFilter extends BaseExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {
    super();
  }

  override catch(err: unknown, host: ArgumentsHost): void | Observable<never> {
    // Event handlers (RPC context): hand the original error back to the transport, which
    // classifies it for retry or dead-lettering; the HTTP error rendering does not apply there.
    if (host.getType() !== 'http') return throwError(() => err);
    const response = host.switchToHttp().getResponse<Response>();
    const status = clientStatusOf(err);
    if (status !== undefined) {
      // The parser's own message may quote the body (a bank account): never echoed.
      const detail = status === 413 ? 'the body is larger than this endpoint accepts' : status === 400 ? 'the body is not valid JSON (an object or an array)' : 'the request cannot be read';
      this.logger.warn({ status, reason: (err as { type?: unknown }).type }, `request refused with ${status}: ${detail}`);
      return problem(response, status, detail, { problems: [{ path: '$', reason: detail }] });
    }
    if (isFieldProblemsError(err)) {
      return problem(response, 422, `${err.problems.length} field(s) cannot be accepted`, {
        problems: err.problems.map((p) => ({ path: p.path, reason: p.reason ?? p.message ?? 'invalid' })),
      });
    }
    if (err instanceof HttpException) {
      const body = err.getResponse();
      const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : { message: body };
      const message = fields['message'];
      return problem(response, err.getStatus(), Array.isArray(message) ? message.join('; ') : String(message ?? err.message), fields);
    }
    return super.catch(err, host);
  }
}

function problem(response: Response, status: number, detail: string, extensions: Record<string, unknown>): void {
  const title = STATUS_CODES[status] ?? 'Error';
  const requestId = currentRequestId();
  response
    .status(status)
    .type(PROBLEM_JSON)
    .json({ statusCode: status, error: title, message: detail, ...extensions, ...(requestId ? { requestId } : {}), type: 'about:blank', title, status, detail });
}
