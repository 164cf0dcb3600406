import { type BreakerStateChange, CircuitBreaker } from './circuit-breaker';
import { VirtualClock } from './virtual-clock';

function breaker(clock: VirtualClock, changes: BreakerStateChange[] = []) {
  return new CircuitBreaker({ platform: 'coupa', failureThreshold: 3, coolDownMs: 10_000, clock, onStateChange: (c) => changes.push(c) });
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, refuses while open and says for how long', () => {
    const clock = new VirtualClock();
    const changes: BreakerStateChange[] = [];
    const b = breaker(clock, changes);
    b.failure();
    b.failure();
    expect(b.tryPass()).toEqual({ allowed: true, probe: false });
    b.failure();
    expect(b.state).toBe('open');
    clock.advance(4_000);
    expect(b.openForMs).toBe(6_000);
    expect(b.tryPass()).toEqual({ allowed: false, retryInMs: 6_000 });
    clock.advance(6_000);
    expect(b.openForMs).toBeUndefined();
    expect(changes).toEqual([
      { platform: 'coupa', from: 'closed', to: 'open' },
      { platform: 'coupa', from: 'open', to: 'half_open' },
    ]);
  });

  it('a success in between resets the count: only consecutive failures open it', () => {
    const clock = new VirtualClock();
    const b = breaker(clock);
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
  });

  it('after the cool-down lets exactly one probe through; its success closes the breaker', () => {
    const clock = new VirtualClock();
    const changes: BreakerStateChange[] = [];
    const b = breaker(clock, changes);
    for (let i = 0; i < 3; i++) b.failure();
    clock.advance(10_000);
    expect(b.tryPass()).toEqual({ allowed: true, probe: true });
    expect(b.tryPass()).toMatchObject({ allowed: false });
    b.success();
    expect(b.state).toBe('closed');
    expect(b.tryPass()).toEqual({ allowed: true, probe: false });
    expect(changes.map((c) => c.to)).toEqual(['open', 'half_open', 'closed']);
  });

  it('a failed probe opens it again for a whole cool-down', () => {
    const clock = new VirtualClock();
    const b = breaker(clock);
    for (let i = 0; i < 3; i++) b.failure();
    clock.advance(10_000);
    expect(b.tryPass()).toMatchObject({ allowed: true, probe: true });
    clock.advance(500);
    b.failure();
    expect(b.state).toBe('open');
    expect(b.tryPass()).toEqual({ allowed: false, retryInMs: 10_000 });
  });

  it('an inconclusive probe (a 429) frees the slot without closing or opening', () => {
    const clock = new VirtualClock();
    const b = breaker(clock);
    for (let i = 0; i < 3; i++) b.failure();
    clock.advance(10_000);
    expect(b.tryPass()).toMatchObject({ probe: true });
    b.inconclusive();
    expect(b.state).toBe('half_open');
    expect(b.tryPass()).toMatchObject({ allowed: true, probe: true });
  });

  it('gives up on a probe that never reported after a cool-down', () => {
    const clock = new VirtualClock();
    const b = breaker(clock);
    for (let i = 0; i < 3; i++) b.failure();
    clock.advance(10_000);
    expect(b.tryPass()).toMatchObject({ probe: true });
    clock.advance(9_999);
    expect(b.tryPass()).toEqual({ allowed: false, retryInMs: 1 });
    clock.advance(1);
    expect(b.tryPass()).toMatchObject({ allowed: true, probe: true });
  });

  it('refuses a threshold below one', () => {
    expect(() => new CircuitBreaker({ platform: 'coupa', failureThreshold: 0, coolDownMs: 1 })).toThrow('failureThreshold');
  });
});
