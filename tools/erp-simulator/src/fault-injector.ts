import { ValidationProblems } from './fusion-errors';
import type { JsonObject } from './http-io';

export type FaultKind = 'http-5xx' | 'timeout' | 'business-rejection' | 'http-429';

/**
 * An armed fault. Without `resource` it targets invoice creation (`POST …/invoices`, after the body
 * was validated, optionally for one `invoiceNumber`, optionally after processing). With `resource`
 * it targets every call of `method` (default GET) on that Fusion resource (collection, item and
 * child routes alike), before anything is processed: how a poller's backoff is tested.
 */
export interface Fault {
  readonly id: number;
  readonly kind: FaultKind;
  /** Response status for http-5xx (default 503) and business-rejection (default 400). */
  readonly status: number;
  /** Fusion error code in the body, e.g. AP_CLOSED_PERIOD, INVALID_ACCOUNT, SUPPLIER_INACTIVE. */
  readonly code: string;
  readonly message: string;
  /** Matching requests this fault still applies to. */
  remaining: number;
  /** Only requests for this invoice number match; undefined = any invoice. */
  readonly invoiceNumber?: string;
  /** http-5xx/timeout: store the posting first, then fail — the ERP posted but the client never heard. */
  readonly afterProcessing: boolean;
  /** timeout only: overrides the simulator's hangMs for this fault. */
  readonly hangMs?: number;
  /** Fusion resource (first path segment, e.g. 'suppliers', 'payablesPayments'); absent = invoice creation. */
  readonly resource?: string;
  /** HTTP method with `resource`; default GET. */
  readonly method?: string;
  /** http-429 only: the Retry-After header, in seconds (default 1). */
  readonly retryAfterSeconds?: number;
}

const KINDS: readonly FaultKind[] = ['http-5xx', 'timeout', 'business-rejection', 'http-429'];
const METHODS = ['GET', 'POST', 'PATCH', 'DELETE'];

const DEFAULTS: Readonly<Record<FaultKind, { status: number; code: string; message: string }>> = {
  'http-5xx': { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable.' },
  timeout: { status: 0, code: 'TIMEOUT', message: 'The request was held open and dropped without a response.' },
  'business-rejection': {
    status: 400,
    code: 'AP_BUSINESS_RULE',
    message: 'The invoice was rejected by a Payables business rule.',
  },
  'http-429': { status: 429, code: 'TOO_MANY_REQUESTS', message: 'The request rate limit was exceeded.' },
};

/**
 * Faults are consumed in the order they were armed: the first one matching a request applies and
 * its `remaining` count drops; an exhausted fault is removed. A request matches a fault when the
 * fault has no invoiceNumber or the same one.
 */
export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  /** Validates an admin request body and arms the fault; throws a 400 FusionHttpError if invalid. */
  arm(body: JsonObject): Fault {
    const problems = new ValidationProblems();
    const kind = body['kind'];
    if (typeof kind !== 'string' || !KINDS.includes(kind as FaultKind)) {
      problems.add('kind', `kind must be one of ${KINDS.join(', ')}.`);
      problems.throwIfAny();
    }
    const k = kind as FaultKind;
    const defaults = DEFAULTS[k];
    const status = optional(body, 'status', 'number', problems) ?? defaults.status;
    if (k === 'http-5xx' && (!Number.isInteger(status) || status < 500 || status > 599)) {
      problems.add('status', 'status for an http-5xx fault must be an integer from 500 to 599.');
    }
    if (k === 'business-rejection' && (!Number.isInteger(status) || status < 400 || status > 499)) {
      problems.add('status', 'status for a business-rejection must be an integer from 400 to 499.');
    }
    const times = optional(body, 'times', 'number', problems) ?? 1;
    if (!Number.isInteger(times) || times < 1) problems.add('times', 'times must be a positive integer.');
    const afterProcessing = optional(body, 'afterProcessing', 'boolean', problems) ?? false;
    if (afterProcessing && k === 'business-rejection') {
      problems.add('afterProcessing', 'afterProcessing applies to http-5xx and timeout only; a rejection never posts.');
    }
    const hangMs = optional(body, 'hangMs', 'number', problems);
    if (hangMs !== undefined && (k !== 'timeout' || !Number.isInteger(hangMs) || hangMs < 0)) {
      problems.add('hangMs', 'hangMs is a non-negative integer and applies to timeout faults only.');
    }
    const code = optional(body, 'code', 'string', problems) ?? defaults.code;
    const message = optional(body, 'message', 'string', problems) ?? defaults.message;
    const invoiceNumber = optional(body, 'invoiceNumber', 'string', problems);
    const resource = optional(body, 'resource', 'string', problems);
    const rawMethod = optional(body, 'method', 'string', problems);
    const method = rawMethod?.toUpperCase();
    if (method !== undefined && !METHODS.includes(method)) problems.add('method', `method must be one of ${METHODS.join(', ')}.`);
    if (method !== undefined && resource === undefined) problems.add('method', 'method applies with resource only (without it a fault targets invoice creation).');
    if (resource !== undefined && (afterProcessing || invoiceNumber !== undefined)) {
      problems.add('resource', 'afterProcessing and invoiceNumber apply to invoice-creation faults (without resource) only.');
    }
    if (k === 'http-429' && resource === undefined) problems.add('resource', 'an http-429 fault needs a resource (and optionally a method).');
    const retryAfterSeconds = optional(body, 'retryAfterSeconds', 'number', problems);
    if (retryAfterSeconds !== undefined && (k !== 'http-429' || !Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0)) {
      problems.add('retryAfterSeconds', 'retryAfterSeconds is a non-negative integer and applies to http-429 faults only.');
    }
    problems.throwIfAny();

    const fault: Fault = {
      id: this.nextId++,
      kind: k,
      status,
      code,
      message,
      remaining: times,
      afterProcessing,
      ...(invoiceNumber !== undefined ? { invoiceNumber } : {}),
      ...(hangMs !== undefined ? { hangMs } : {}),
      ...(resource !== undefined ? { resource, method: method ?? 'GET' } : {}),
      ...(k === 'http-429' ? { retryAfterSeconds: retryAfterSeconds ?? 1 } : {}),
    };
    this.faults.push(fault);
    return fault;
  }

  /** Takes one use of the first invoice-creation fault matching this invoice number, if any. */
  take(invoiceNumber: string): Fault | undefined {
    return this.use(this.faults.find((f) => f.resource === undefined && (f.invoiceNumber === undefined || f.invoiceNumber === invoiceNumber)));
  }

  /** Takes one use of the first fault armed for this method on this resource, if any. */
  takeFor(method: string, resource: string | null): Fault | undefined {
    if (resource === null) return undefined;
    return this.use(this.faults.find((f) => f.resource === resource && f.method === method));
  }

  private use(fault: Fault | undefined): Fault | undefined {
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }

  pending(): readonly Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}

function optional<T extends 'number' | 'string' | 'boolean'>(
  body: JsonObject,
  name: string,
  type: T,
  problems: ValidationProblems,
): (T extends 'number' ? number : T extends 'string' ? string : boolean) | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) {
    problems.add(name, `${name} must be a ${type}.`);
    return undefined;
  }
  return value as T extends 'number' ? number : T extends 'string' ? string : boolean;
}
