import { latencyStats } from './latency-stats';

describe('latencyStats', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 200 }, (_, i) => i + 1); // 1..200 ms
    expect(latencyStats(samples)).toEqual({ p50: 100, p99: 198, n: 200 });
  });

  it('reports an empty distribution as nulls, not zeros', () => {
    expect(latencyStats([])).toEqual({ p50: null, p99: null, n: 0 });
  });

  it('does not depend on the order of the samples', () => {
    expect(latencyStats([900, 10, 500])).toEqual({ p50: 500, p99: 900, n: 3 });
  });
});
