import { partitionLag, topicDepth } from './kafka-offsets';

describe('kafka offsets', () => {
  it('lag is end minus committed, or end minus start when the group never committed', () => {
    expect(partitionLag('40', { partition: 0, low: '10', high: '55' })).toBe(15);
    expect(partitionLag('-1', { partition: 0, low: '10', high: '55' })).toBe(45);
    expect(partitionLag('60', { partition: 0, low: '10', high: '55' })).toBe(0);
  });

  it('depth sums end minus start over partitions', () => {
    expect(topicDepth([{ partition: 0, low: '0', high: '3' }, { partition: 1, low: '5', high: '9' }])).toBe(7);
    expect(topicDepth([])).toBe(0);
  });
});
