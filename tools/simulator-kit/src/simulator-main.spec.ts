import { createServer } from 'node:http';
import { HeldRequests } from './held-requests';
import { listenOn } from './listen';
import { intFromEnv } from './simulator-main';

describe('simulator kit', () => {
  it('reads non-negative integer settings and names a bad one', () => {
    expect(intFromEnv('SIM_PORT', 3900, {})).toBe(3900);
    expect(intFromEnv('SIM_PORT', 3900, { SIM_PORT: '' })).toBe(3900);
    expect(intFromEnv('SIM_PORT', 3900, { SIM_PORT: '4000' })).toBe(4000);
    expect(() => intFromEnv('SIM_PORT', 3900, { SIM_PORT: '-1' })).toThrow('SIM_PORT must be a non-negative integer, got "-1"');
  });

  it('holds a request open until it drops the connection, and releases held requests on close', async () => {
    const held = new HeldRequests();
    const server = createServer((req, res) => held.hold(req, res, 100));
    const url = await listenOn(server, 0, '127.0.0.1');
    try {
      const started = Date.now();
      const outcome = await fetch(url).then(() => 'answered', (err: unknown) => String((err as { cause?: { code?: string } }).cause?.code ?? err));
      expect(outcome).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    } finally {
      held.releaseAll();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
