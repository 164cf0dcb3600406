import { ChangeEventStream } from './change-event-stream';

describe('ChangeEventStream (one dashboard subscriber)', () => {
  let clock = 0;
  let written: string[] = [];
  const sink = { write: (chunk: string) => written.push(chunk) };
  const changedEvents = () => written.filter((w) => w.includes('event: changed'));

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 1_000_000;
    written = [];
  });
  afterEach(() => jest.useRealTimers());

  const advance = (ms: number) => {
    clock += ms;
    jest.advanceTimersByTime(ms);
  };

  it('announces itself, sends the first change at once and coalesces a burst into one trailing event per second', () => {
    const stream = new ChangeEventStream(sink, { minIntervalMs: 1000, heartbeatMs: 15_000, now: () => clock });
    expect(written[0]).toContain('event: ready');
    stream.changed();
    expect(changedEvents()).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      advance(10);
      stream.changed();
    }
    expect(changedEvents()).toHaveLength(1);
    advance(500);
    expect(changedEvents()).toHaveLength(2);
    expect(changedEvents()[1]).toMatch(/^id: 2\nevent: changed\ndata: \{"at":"[^"]+"\}\n\n$/);
    advance(5000);
    expect(changedEvents()).toHaveLength(2);
    stream.changed();
    expect(changedEvents()).toHaveLength(3);
    stream.close();
  });

  it('sends a heartbeat comment every interval and nothing once closed', () => {
    const stream = new ChangeEventStream(sink, { minIntervalMs: 1000, heartbeatMs: 15_000, now: () => clock });
    advance(45_000);
    expect(written.filter((w) => w === ': heartbeat\n\n')).toHaveLength(3);
    stream.changed();
    advance(200);
    stream.changed();
    stream.close();
    const count = written.length;
    advance(60_000);
    stream.changed();
    expect(written).toHaveLength(count);
  });
});
