import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Authorizer } from '../auth/authorizer';

/**
 * Test support for the delivery specs: a real HTTP server standing in for a platform's
 * supplier resource (GET and PUT /suppliers/:number). Like Coupa, it de-duplicates nothing by
 * idempotency key, so a single effect in a test is the sink's doing.
 */
export const testAuthorizer: Authorizer = { principal: 'finmesh-test', authorization: async () => 'Bearer test-token', invalidate: () => undefined };

export interface Fault {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** The stand-in platform: supplier statuses, every status change counted, faults served first. */
export class FakePlatform {
  readonly statuses = new Map<string, string>();
  readonly changes: { supplier: string; status: string; idempotencyKey: string | undefined }[] = [];
  readonly faults: Fault[] = [];
  /** Answers 503 to everything until this time (ms since the epoch): an outage. */
  unavailableUntil = 0;
  calls = 0;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.answer(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async answer(req: IncomingMessage): Promise<Fault> {
    this.calls++;
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const fault = this.faults.shift();
    if (fault) return fault;
    if (Date.now() < this.unavailableUntil) return { status: 503, body: 'service unavailable' };
    const match = /^\/suppliers\/([^/]+)$/.exec(req.url ?? '');
    if (!match) return { status: 404, body: '{"errors":{"error":["no such resource"]}}' };
    const supplier = match[1]!;
    if (req.method === 'GET') return { status: 200, body: JSON.stringify({ number: supplier, status: this.statuses.get(supplier) ?? 'active' }) };
    const { status } = JSON.parse(text) as { status: string };
    this.statuses.set(supplier, status);
    const key = req.headers['idempotency-key'];
    this.changes.push({ supplier, status, idempotencyKey: typeof key === 'string' ? key : undefined });
    return { status: 200, body: JSON.stringify({ id: 4711, number: supplier, status }) };
  }
}
