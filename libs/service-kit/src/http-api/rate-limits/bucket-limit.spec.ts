import { parseBucketLimit } from './bucket-limit';

describe('parseBucketLimit', () => {
  it('reads a rate per second or minute and a burst', () => {
    expect(parseBucketLimit('20/s:40')).toEqual({ ratePerSecond: 20, capacity: 40 });
    expect(parseBucketLimit('600/min:100')).toEqual({ ratePerSecond: 10, capacity: 100 });
  });

  it('refuses anything else', () => {
    for (const bad of ['20', '20/h:5', '0/s:5', '5/s:0', 'fast']) expect(parseBucketLimit(bad)).toBeUndefined();
  });
});
