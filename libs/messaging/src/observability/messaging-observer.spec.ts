import { countBy, notifyObserver, type MessagingObserver } from './messaging-observer';

describe('messaging observer', () => {
  it('never lets a failing observer break the caller, and logs it', () => {
    const warnings: string[] = [];
    const observer: MessagingObserver = {
      eventsProduced: () => {
        throw new Error('registry broken');
      },
    };
    expect(() =>
      notifyObserver(observer, { warn: (_obj, msg) => warnings.push(msg) }, (o) => o.eventsProduced?.({ topic: 't', event: 'InvoicePosted', count: 1 })),
    ).not.toThrow();
    expect(warnings).toEqual(['messaging metrics observer failed']);
  });

  it('does nothing without an observer', () => {
    const report = jest.fn();
    notifyObserver(undefined, { warn: () => undefined }, report);
    expect(report).not.toHaveBeenCalled();
  });

  it('counts by key', () => {
    expect([...countBy(['a', 'b', 'a'], (x) => x)]).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
