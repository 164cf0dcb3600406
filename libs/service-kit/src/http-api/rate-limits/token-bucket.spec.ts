import { parseBucketLimit, TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('admits a burst up to its capacity, then refuses with the seconds until the next token', () => {
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)].map((r) => r.allowed)).toEqual([true, true, true]);
    expect(bucket.take(0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills at its rate, never above its capacity', () => {
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 2 }, 0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.take(500).allowed).toBe(false);
    expect(bucket.take(1000)).toEqual({ allowed: true, remaining: 0 });
    // A long quiet spell fills it to the capacity only.
    expect(bucket.take(60_000)).toEqual({ allowed: true, remaining: 1 });
    expect(bucket.take(60_000)).toEqual({ allowed: true, remaining: 0 });
    expect(bucket.take(60_000).allowed).toBe(false);
  });

  it('says how long a slow bucket needs', () => {
    const bucket = new TokenBucket({ ratePerSecond: 0.1, capacity: 1 }, 0);
    bucket.take(0);
    expect(bucket.take(0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });
});

describe('parseBucketLimit', () => {
  it('reads a rate per second or minute and a burst', () => {
    expect(parseBucketLimit('20/s:40')).toEqual({ ratePerSecond: 20, capacity: 40 });
    expect(parseBucketLimit('600/min:100')).toEqual({ ratePerSecond: 10, capacity: 100 });
  });

  it('refuses anything else', () => {
    for (const bad of ['20', '20/h:5', '0/s:5', '5/s:0', 'fast']) expect(parseBucketLimit(bad)).toBeUndefined();
  });
});
