import { TokenBucket } from './token-bucket';
import { VirtualClock } from './virtual-clock';

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through at once, then paces calls at the refill rate', async () => {
    const clock = new VirtualClock(1_000);
    const bucket = new TokenBucket({ platform: 'coupa', capacity: 3, refillPerSecond: 4, clock });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await bucket.take());
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    // 4 tokens per second: one every 250 ms once the burst is spent.
    expect(waits.slice(3)).toEqual([250, 250, 250]);
    expect(clock.now()).toBe(1_750);
  });

  it('refills while idle, never above capacity', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ platform: 'coupa', capacity: 2, refillPerSecond: 10, clock });
    await bucket.take();
    await bucket.take();
    expect(bucket.available()).toBe(0);
    clock.advance(60_000);
    expect(bucket.available()).toBe(2);
  });

  it('serves concurrent waiters in arrival order', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ platform: 'fusion', capacity: 1, refillPerSecond: 1, clock });
    const order: string[] = [];
    await Promise.all(['a', 'b', 'c'].map((name) => bucket.take().then(() => order.push(name))));
    expect(order).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(2_000);
  });

  it('after a 429 hands out nothing until Retry-After has passed, then resumes at the refill rate', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ platform: 'coupa', capacity: 5, refillPerSecond: 2, clock });
    await bucket.take();
    bucket.penalise(3_000);
    expect(await bucket.take()).toBe(3_000 + 500);
    expect(await bucket.take()).toBe(500);
  });

  it('a shorter penalty never shortens a longer one, and no Retry-After falls back to a default', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ platform: 'coupa', capacity: 1, refillPerSecond: 1000, clock });
    bucket.penalise(5_000);
    bucket.penalise(100);
    expect(await bucket.take()).toBe(5_001);
    bucket.penalise(undefined, 2_000);
    expect(await bucket.take()).toBe(2_001);
  });

  it('tryTake hands out a burst at once, then says how long until the next token, without waiting', () => {
    const clock = new VirtualClock(0);
    const bucket = new TokenBucket({ platform: 'http read coupa-eu', capacity: 3, refillPerSecond: 2, clock });
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([undefined, undefined, undefined]);
    expect(bucket.tryTake()).toBe(500);
    expect(clock.now()).toBe(0);
  });

  it('tryTake refills at the rate, never above capacity, and respects a penalty', () => {
    const clock = new VirtualClock(0);
    const bucket = new TokenBucket({ platform: 'http write coupa-eu', capacity: 2, refillPerSecond: 1, clock });
    bucket.tryTake();
    bucket.tryTake();
    clock.advance(500);
    expect(bucket.tryTake()).toBe(500);
    clock.advance(500);
    expect(bucket.tryTake()).toBeUndefined();
    // A long quiet spell fills it to the capacity only.
    clock.advance(60_000);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([undefined, undefined, 1_000]);
    bucket.penalise(3_000);
    expect(bucket.tryTake()).toBe(3_000);
    const slow = new TokenBucket({ platform: 'http read slow', capacity: 1, refillPerSecond: 0.1, clock });
    slow.tryTake();
    expect(slow.tryTake()).toBe(10_000);
  });

  it('refuses a configuration that could never hand out a token', () => {
    expect(() => new TokenBucket({ platform: 'coupa', capacity: 0, refillPerSecond: 1 })).toThrow('capacity');
    expect(() => new TokenBucket({ platform: 'coupa', capacity: 1, refillPerSecond: 0 })).toThrow('refillPerSecond');
  });
});
