/**
 * Error bodies in the shape Oracle's ADF REST framework returns
 * (`application/vnd.oracle.adf.error+json`-like): a title, the HTTP status as a string, and one
 * detail per problem with an error code and the path of the offending attribute.
 */

export interface FusionErrorDetail {
  readonly detail: string;
  readonly 'o:errorCode': string;
  readonly 'o:errorPath'?: string;
}

export interface FusionErrorBody {
  readonly type: string;
  readonly title: string;
  /** Fusion sends the status as a string ("400"), not a number. */
  readonly status: string;
  readonly 'o:errorCode'?: string;
  readonly 'o:errorDetails': readonly FusionErrorDetail[];
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Thrown by request handlers; the server turns it into a Fusion error response. */
export class FusionHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly details: readonly FusionErrorDetail[],
    readonly errorCode?: string,
    /** Extra response headers (WWW-Authenticate, Retry-After). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(details.map((d) => d.detail).join('; ') || `HTTP ${httpStatus}`);
    this.name = 'FusionHttpError';
  }

  toBody(): FusionErrorBody {
    return fusionErrorBody(this.httpStatus, this.details, this.errorCode);
  }
}

export function fusionErrorBody(
  httpStatus: number,
  details: readonly FusionErrorDetail[],
  errorCode?: string,
): FusionErrorBody {
  return {
    type: `https://httpstatuses.io/${httpStatus}`,
    title: TITLES[httpStatus] ?? (httpStatus >= 500 ? 'Server Error' : 'Error'),
    status: String(httpStatus),
    ...(errorCode ? { 'o:errorCode': errorCode } : {}),
    'o:errorDetails': details,
  };
}

export function errorDetail(detail: string, code: string, path?: string): FusionErrorDetail {
  return { detail, 'o:errorCode': code, ...(path !== undefined ? { 'o:errorPath': path } : {}) };
}

/** Collects validation problems so one 400 names every bad field, not just the first. */
export class ValidationProblems {
  private readonly details: FusionErrorDetail[] = [];

  add(path: string, detail: string, code = 'FND_REST_VALIDATION'): void {
    this.details.push(errorDetail(detail, code, path));
  }

  get empty(): boolean {
    return this.details.length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw new FusionHttpError(400, this.details);
  }
}
