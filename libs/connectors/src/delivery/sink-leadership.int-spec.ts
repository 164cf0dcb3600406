import { Pool } from 'pg';
import pino from 'pino';
import { testEnvironment, uniqueName } from '@finmesh/testing';
import { SinkLeadership } from './sink-leadership';

const env = testEnvironment();
const logger = pino({ level: 'silent' });
let pool: Pool;

beforeAll(() => {
  pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
});

afterAll(async () => {
  await pool.end();
});

/** An instance of the sink: its consumer's start/stop calls are what leadership drives. */
function instance(schema: string, flow: string) {
  const calls: string[] = [];
  const leadership = new SinkLeadership({
    platform: 'coupa',
    flow,
    schema,
    connectionString: env.databaseUrl,
    retryMs: 50,
    logger,
    start: async () => {
      calls.push('start');
    },
    stop: async () => {
      calls.push('stop');
    },
  });
  return { leadership, calls };
}

async function eventually(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SinkLeadership', () => {
  it('runs one active sink per platform and flow; a standby takes over when the leader stops', async () => {
    const schema = uniqueName('sinklead').replace(/-/g, '_');
    const flow = uniqueName('flow');
    const a = instance(schema, flow);
    const b = instance(schema, flow);
    const otherFlow = instance(schema, `${flow}-other`);
    a.leadership.start();
    await eventually(() => a.leadership.role === 'active');
    b.leadership.start();
    otherFlow.leadership.start();
    // Another flow of the same platform has a lock of its own.
    await eventually(() => otherFlow.leadership.role === 'active');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(b.leadership.role).toBe('standby');
    expect(b.calls).toEqual([]);

    await a.leadership.stop();
    expect(a.calls).toEqual(['start', 'stop']);
    await eventually(() => b.leadership.role === 'active');
    expect(b.calls).toEqual(['start']);
    await b.leadership.stop();
    await otherFlow.leadership.stop();
  });

  it('a leader whose session is killed stops consuming, and the standby takes over', async () => {
    const schema = uniqueName('sinklead').replace(/-/g, '_');
    const flow = uniqueName('flow').slice(0, 30);
    const a = instance(schema, flow);
    const b = instance(schema, flow);
    a.leadership.start();
    await eventually(() => a.leadership.role === 'active');
    b.leadership.start();

    await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
      [`finmesh-sink-coupa-${flow}`.slice(0, 63)],
    );
    await eventually(() => a.calls.includes('stop'));
    await eventually(() => a.leadership.role === 'active' || b.leadership.role === 'active');
    // Exactly one of the two leads afterwards (A may win the lock back; that is allowed).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([a.leadership.role, b.leadership.role].filter((r) => r === 'active')).toHaveLength(1);
    await a.leadership.stop();
    await b.leadership.stop();
  });
});
