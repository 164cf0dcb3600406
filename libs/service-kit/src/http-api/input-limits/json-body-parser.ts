import express, { type RequestHandler } from 'express';

/** The largest body any endpoint takes: a Coupa PO or invoice with hundreds of lines is well under it. */
export const MAX_BODY = '100kb';

/**
 * A body that is not JSON (or not an object or array at the top, as strict parsing requires).
 * Says its own status, as the parser's errors do, so FieldProblemsFilter answers it 400 with the
 * path `$`; the parser's message is not kept, as it quotes the body (which may hold a bank account).
 */
export class MalformedJsonBodyError extends Error {
  readonly status = 400;
  readonly expose = true;
  readonly type = 'entity.parse.failed';
  readonly problems = [{ path: '$', reason: 'the body is not valid JSON (an object or an array)' }];

  constructor() {
    super('the body is not valid JSON (an object or an array)');
    this.name = 'MalformedJsonBodyError';
  }
}

/**
 * The one body parser of every service: JSON only (a body of another media type stays unread and
 * InputLimitsInterceptor answers 415; no urlencoded or text parsing), strict, at most MAX_BODY
 * (else 413). Nest's own parsers are switched off (`bodyParser: false`) because Nest turns a JSON
 * syntax error into a 400 that echoes the parser's message, body excerpt included.
 */
export function jsonBodyParser(): RequestHandler {
  const parse = express.json({ limit: MAX_BODY, strict: true });
  return (req, res, next) => parse(req, res, (err?: unknown) => next(err instanceof SyntaxError ? new MalformedJsonBodyError() : err));
}
