import { assessReadiness, type DependencyCheck } from './dependency-check';

const check = (dependency: string, behaviour: () => Promise<void>): DependencyCheck => ({ dependency, check: behaviour });

describe('assessReadiness', () => {
  it('is ready only when every dependency answers', async () => {
    const report = await assessReadiness('svc', [check('a', async () => undefined), check('b', async () => undefined)], 500);
    expect(report.status).toBe('ready');
    expect(Object.keys(report.dependencies)).toEqual(['a', 'b']);
  });

  it('names the failing dependency and its error', async () => {
    const report = await assessReadiness(
      'svc',
      [check('kafka', async () => Promise.reject(new Error('connect ECONNREFUSED'))), check('postgres', async () => undefined)],
      500,
    );
    expect(report.status).toBe('not-ready');
    expect(report.dependencies['kafka']).toMatchObject({ status: 'down', error: 'connect ECONNREFUSED' });
    expect(report.dependencies['postgres']).toMatchObject({ status: 'up' });
  });

  it('bounds a hung dependency by the timeout', async () => {
    const started = Date.now();
    const report = await assessReadiness('svc', [check('registry', () => new Promise<void>(() => undefined))], 100);
    expect(report.dependencies['registry']).toMatchObject({ status: 'down', error: 'no answer within 100 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
