/**
 * Faults on demand for the next N calls of a route (or of every API route): what an integration
 * must survive from a SaaS platform.
 *
 *   { "kind": "http-5xx" | "timeout" | "slow" | "rate-limit" | "lost-response" | "drop",
 *     "route": "GET /api/purchase_orders",   // a route template (GET /__admin/routes lists them); omitted = any /api or /oauth2 route
 *     "times": 1, "status": 503, "delayMs": 2000, "hangMs": 30000, "retryAfterSeconds": 1 }
 *
 *  - http-5xx: answers `status` (500-599, default 503) with a Coupa error body; nothing is done.
 *  - timeout: holds the request `hangMs` (default the simulator's), then drops the socket without
 *    an answer; nothing is done.
 *  - slow: waits `delayMs` (default 2000), then serves the call normally.
 *  - rate-limit: answers 429 with `Retry-After: retryAfterSeconds` (default 1); nothing is done.
 *  - lost-response: the call is served (a write IS applied), then the connection is dropped
 *    instead of answering: "the platform did it but the client never heard".
 *  - drop: answered 200 with an empty object, and nothing is done: "the platform said yes and lost
 *    the update" (a defect of the platform, the thing a convergence comparison must catch).
 * Faults apply before authentication (they stand for the platform's edge) and are consumed in the
 * order armed: the first matching fault applies and its `times` drops.
 */
import { AdminProblems } from './coupa-errors';
import type { JsonObject } from './http-io';

export type FaultKind = 'http-5xx' | 'timeout' | 'slow' | 'rate-limit' | 'lost-response' | 'drop';
const KINDS: readonly FaultKind[] = ['http-5xx', 'timeout', 'slow', 'rate-limit', 'lost-response', 'drop'];

export interface Fault {
  readonly id: number;
  readonly kind: FaultKind;
  /** Route template it applies to; undefined = any API or token route. */
  readonly route?: string;
  remaining: number;
  readonly status: number;
  readonly delayMs: number;
  readonly hangMs?: number;
  readonly retryAfterSeconds: number;
}

export class FaultInjector {
  private faults: Fault[] = [];
  private nextId = 1;

  constructor(private readonly routes: () => readonly string[]) {}

  arm(body: JsonObject): Fault {
    const problems = new AdminProblems();
    const kind = body['kind'];
    if (typeof kind !== 'string' || !KINDS.includes(kind as FaultKind)) problems.add('kind', `kind must be one of ${KINDS.join(', ')}.`);
    const int = (name: string, fallback: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
      const v = body[name];
      if (v === undefined || v === null) return fallback;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        problems.add(name, `${name} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}.`);
        return fallback;
      }
      return v;
    };
    const route = body['route'];
    if (route !== undefined && route !== null && (typeof route !== 'string' || !this.routes().includes(route))) {
      problems.add('route', `route must be one of: ${this.routes().join(', ')}.`);
    }
    const times = int('times', 1, 1);
    const status = int('status', 503, 500, 599);
    const delayMs = int('delayMs', 2_000, 0);
    const hangMs = int('hangMs', undefined, 0);
    const retryAfterSeconds = int('retryAfterSeconds', 1, 0);
    problems.throwIfAny();
    const fault: Fault = {
      id: this.nextId++,
      kind: kind as FaultKind,
      ...(typeof route === 'string' ? { route } : {}),
      remaining: times as number,
      status: status as number,
      delayMs: delayMs as number,
      ...(hangMs !== undefined ? { hangMs } : {}),
      retryAfterSeconds: retryAfterSeconds as number,
    };
    this.faults.push(fault);
    return { ...fault };
  }

  /** Takes one use of the first fault armed for this route, if any. */
  take(route: string): Fault | undefined {
    const fault = this.faults.find((f) => f.route === undefined || f.route === route);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return { ...fault };
  }

  pending(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }
}
