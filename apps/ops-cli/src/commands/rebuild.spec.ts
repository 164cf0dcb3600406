import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../cli';

/**
 * A stand-in for the reporting projector's rebuild API, only to check what the CLI renders
 * (progress, summary, JSON, exit codes); the real rebuild is tested with the projector.
 */
function fakeProjector(statuses: readonly object[]): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  let polls = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    if (req.headers.authorization !== 'Bearer test-token') {
      res.writeHead(401).end('{"message":"unauthorized"}');
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/admin/rebuilds') {
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"rebuildId":"rb-1"}');
      return;
    }
    const status = statuses[Math.min(polls++, statuses.length - 1)];
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(status));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

const base = { rebuildId: 'rb-1', ratePerSec: 0, startedAt: '2025-01-01T10:00:00.000Z', finishedAt: null, error: null, tables: [] };

function tty(): PassThrough & { isTTY: boolean; text: () => string } {
  const s = Object.assign(new PassThrough(), { isTTY: true, text: (): string => '' });
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString()));
  s.text = () => chunks.join('');
  return s;
}

async function run(args: string[], stdout = tty()) {
  const stderr = tty();
  const code = await runCli(args, { stdout, stderr, stdin: Readable.from([]), env: { FINMESH_TOKEN: 'test-token' } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('rebuild reporting (rendering against a fake projector)', () => {
  let fake: Awaited<ReturnType<typeof fakeProjector>>;
  afterEach(() => fake.server.close());

  it('draws progress with done/total, rate and ETA on a terminal, then the summary with the tables', async () => {
    fake = await fakeProjector([
      { ...base, status: 'running', eventsDone: 0, eventsTotal: 400 },
      { ...base, status: 'running', eventsDone: 200, eventsTotal: 400, ratePerSec: 100 },
      {
        ...base,
        status: 'succeeded',
        eventsDone: 400,
        eventsTotal: 400,
        ratePerSec: 100,
        finishedAt: '2025-01-01T10:00:04.000Z',
        tables: [{ name: 'invoice_facts', rows: 120, checksum: 'abc123' }, { table: 'payment_facts', rows: 7, checksum: 'def456' }],
      },
    ]);
    const r = await run(['rebuild', 'reporting', '--projector-url', fake.url, '--poll-ms', '20']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rebuild rb-1 started');
    expect(r.stdout).toContain('[###############...............]  50% 200/400 · 100 ev/s · ETA 2.0s');
    expect(r.stdout).toContain('100% 400/400');
    expect(r.stdout).toContain('rebuild rb-1 succeeded: 400 events in 4.0s (100.0 ev/s)');
    expect(r.stdout).toMatch(/invoice_facts\s+120\s+abc123/);
    expect(r.stdout).toMatch(/payment_facts\s+7\s+def456/);
    expect(fake.requests[0]).toBe('POST /v1/admin/rebuilds Bearer test-token');
  });

  it('prints one JSON document and no progress bar with --json, and exits 1 when the rebuild failed', async () => {
    fake = await fakeProjector([{ ...base, status: 'failed', eventsDone: 7, eventsTotal: 400, finishedAt: '2025-01-01T10:00:01.000Z', error: 'relation missing' }]);
    const r = await run(['--json', 'rebuild', 'reporting', '--projector-url', fake.url, '--poll-ms', '20']);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('\r');
    expect(JSON.parse(r.stdout)).toEqual({ ...base, status: 'failed', eventsDone: 7, eventsTotal: 400, finishedAt: '2025-01-01T10:00:01.000Z', error: 'relation missing', timedOut: false });
  });

  it('says which role the token needs when the projector refuses it', async () => {
    fake = await fakeProjector([]);
    const stderr = tty();
    const code = await runCli(['rebuild', 'reporting', '--projector-url', fake.url], { stdout: tty(), stderr, stdin: Readable.from([]), env: { FINMESH_TOKEN: 'wrong' } });
    expect(code).toBe(1);
    expect(stderr.text()).toContain('refused the token (HTTP 401): it needs a valid token with role ops');
  });

  it('rejects a bad --poll-ms as bad usage (exit 2) before calling the projector', async () => {
    fake = await fakeProjector([]);
    const r = await run(['rebuild', 'reporting', '--projector-url', fake.url, '--poll-ms', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--poll-ms "soon" must be a whole number greater than 0');
    expect(fake.requests).toEqual([]);
  });
});
