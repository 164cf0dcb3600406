import { etaMs, formatDuration, formatProgressLine, ProgressBar, RateMeter } from './progress-bar';

describe('progress bar formatting', () => {
  it('formats durations with short fixed units', () => {
    expect(formatDuration(400)).toBe('0.4s');
    expect(formatDuration(9_949)).toBe('9.9s');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatDuration(-1)).toBe('?');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('estimates the remaining time from the rate, and admits when it cannot', () => {
    expect(etaMs({ done: 4500, total: 10_000, ratePerSec: 500 })).toBe(11_000);
    expect(etaMs({ done: 10_000, total: 10_000, ratePerSec: null })).toBe(0);
    expect(etaMs({ done: 10, total: 100, ratePerSec: null })).toBeNull();
    expect(etaMs({ done: 10, total: 100, ratePerSec: 0 })).toBeNull();
  });

  it('draws done/total, percentage, rate and ETA on one line', () => {
    expect(formatProgressLine({ done: 4500, total: 10_000, ratePerSec: 812.4 }, 20)).toBe('[#########...........]  45% 4500/10000 · 812 ev/s · ETA 6.8s');
    expect(formatProgressLine({ done: 3, total: 40, ratePerSec: 1.25 }, 10)).toBe('[#.........]   7% 3/40 · 1.3 ev/s · ETA 30s');
    expect(formatProgressLine({ done: 0, total: 10, ratePerSec: null }, 10)).toBe('[..........]   0% 0/10 · ? ev/s · ETA ?');
  });

  it('treats nothing to do as done and clamps done into [0, total]', () => {
    expect(formatProgressLine({ done: 0, total: 0, ratePerSec: null }, 4)).toBe('[####] 100% 0/0 · ? ev/s · ETA 0.0s');
    expect(formatProgressLine({ done: 12, total: 10, ratePerSec: 5 }, 4)).toBe('[####] 100% 10/10 · 5.0 ev/s · ETA 0.0s');
  });

  it('draws only on a TTY, redrawing one line, and ends it with a newline', () => {
    const written: string[] = [];
    const tty = new ProgressBar({ write: (t: string) => written.push(t), isTTY: true }, 'g1');
    tty.update({ done: 1, total: 2, ratePerSec: null });
    tty.finish();
    expect(written[0]!.startsWith('\r\x1b[2Kg1 [')).toBe(true);
    expect(written[1]).toBe('\n');
    const piped: string[] = [];
    const pipe = new ProgressBar({ write: (t: string) => piped.push(t) }, 'g1');
    pipe.update({ done: 1, total: 2, ratePerSec: null });
    pipe.finish();
    expect(piped).toEqual([]);
  });

  it('measures the rate between the first and the latest observation', () => {
    const meter = new RateMeter();
    expect(meter.observe(100, 1_000)).toBeNull();
    expect(meter.observe(300, 3_000)).toBe(100);
    expect(meter.observe(300, 1_000)).toBeNull();
  });
});
