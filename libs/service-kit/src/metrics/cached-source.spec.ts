import { CachedSource } from './cached-source';

describe('CachedSource', () => {
  it('reads at most once per ttl and shares a read in flight', async () => {
    let now = 0;
    let reads = 0;
    const source = new CachedSource(async () => ++reads, { ttlMs: 5000, timeoutMs: 1000, now: () => now });
    expect(await Promise.all([source.get(), source.get()])).toEqual([1, 1]);
    now = 4999;
    expect(await source.get()).toBe(1);
    now = 5000;
    expect(await source.get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('gives undefined when the read fails or hangs, and reads again next time', async () => {
    const errors: unknown[] = [];
    let behaviour: 'fail' | 'hang' | 'ok' = 'fail';
    const source = new CachedSource(
      () => (behaviour === 'fail' ? Promise.reject(new Error('broker down')) : behaviour === 'hang' ? new Promise<number>(() => undefined) : Promise.resolve(7)),
      { ttlMs: 5000, timeoutMs: 20, onError: (e) => errors.push(e) },
    );
    expect(await source.get()).toBeUndefined();
    behaviour = 'hang';
    expect(await source.get()).toBeUndefined();
    behaviour = 'ok';
    expect(await source.get()).toBe(7);
    expect(errors.map((e) => (e as Error).message)).toEqual(['broker down', 'metrics source did not answer within 20 ms']);
  });
});
