import { mintDevToken, type Role } from '@finmesh/service-kit';

/** Where the scenario finds the services and the ERP simulator, and how it signs its calls. */
export interface StackEndpoints {
  readonly supplierSync: string;
  readonly poSync: string;
  readonly invoiceSync: string;
  readonly paymentSync: string;
  readonly erpSimulator: string;
  /** The procurement simulator, when the stack runs it: the demo's suppliers are created there too. */
  readonly procurementSimulator?: string;
  /** The AP simulator, when the stack runs it: the demo's invoices are captured there first, and finmesh writes their fate back. */
  readonly apSimulator?: string;
  readonly jwtSecret: string;
}

export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A connected platform calling finmesh: its client id, its roles, an idempotency key per write. */
export class PlatformClient {
  private token: Promise<string> | undefined;
  private writes = 0;

  constructor(
    private readonly secret: string,
    readonly clientId: string,
    private readonly roles: readonly Role[],
  ) {}

  async post(url: string, body: unknown, idempotencyKey = `${this.clientId}-${process.pid}-${Date.now()}-${++this.writes}`): Promise<ApiAnswer> {
    return this.call('POST', url, body, { 'idempotency-key': idempotencyKey });
  }

  async get(url: string): Promise<ApiAnswer> {
    return this.call('GET', url);
  }

  private async call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    this.token ??= mintDevToken({ clientId: this.clientId, roles: this.roles, secret: this.secret, expiresIn: '2h' });
    const res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { raw: text };
    }
    return { status: res.status, body: parsed };
  }
}

/** Admin calls to the ERP simulator (no token: it is a local test double). */
export async function erpAdmin(base: string, path: string, body?: unknown, method = 'POST'): Promise<ApiAnswer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: ((await res.json().catch(() => ({}))) as Record<string, unknown>) ?? {} };
}
