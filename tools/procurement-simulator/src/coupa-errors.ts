/**
 * Errors as Coupa's JSON API answers them ("Differences between XML and JSON in Coupa",
 * compass.coupa.com: JSON errors are `{ "errors": { "<field>": ["message", ...] } }`); the OAuth
 * token endpoint answers RFC 6749 errors (`{ error, error_description }`) instead.
 */
export type ErrorBody = { errors: Record<string, string[]> } | { error: string; error_description: string };

export class CoupaHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(JSON.stringify(body));
  }
}

/** `{ errors: { error: [message] } }` (or `{ errors: { <field>: [message] } }`). */
export function coupaError(status: number, message: string, field = 'error', headers: Readonly<Record<string, string>> = {}): CoupaHttpError {
  return new CoupaHttpError(status, { errors: { [field]: [message] } }, headers);
}

/** RFC 6749 section 5.2 error of the token endpoint. */
export function oauthError(status: number, error: string, description: string, headers: Readonly<Record<string, string>> = {}): CoupaHttpError {
  return new CoupaHttpError(status, { error, error_description: description }, headers);
}

/** Collects every problem of an admin request; throws one 400 naming them all. */
export class AdminProblems {
  private readonly list: Record<string, string[]> = {};

  add(field: string, message: string): void {
    (this.list[field] ??= []).push(message);
  }

  throwIfAny(): void {
    if (Object.keys(this.list).length > 0) throw new CoupaHttpError(400, { errors: this.list });
  }
}
