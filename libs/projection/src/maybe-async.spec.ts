import { inSequence, whenReady } from './maybe-async';

describe('maybe-async', () => {
  it('stays synchronous while every step is synchronous', () => {
    const order: number[] = [];
    const result = inSequence([1, 2, 3].map((n) => () => void order.push(n)));
    expect(result).toBeUndefined();
    expect(order).toEqual([1, 2, 3]);
  });

  it('starts each step only after an asynchronous one before it has finished', async () => {
    const order: string[] = [];
    const result = inSequence([
      () => void order.push('a'),
      () => new Promise<void>((resolve) => setTimeout(() => (order.push('b'), resolve()), 10)),
      () => void order.push('c'),
      async () => void order.push('d'),
      () => void order.push('e'),
    ]);
    expect(order).toEqual(['a']);
    expect(result).toBeInstanceOf(Promise);
    await result;
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('passes a failure of an asynchronous step on and runs no later step', async () => {
    const later = jest.fn();
    await expect(inSequence([() => Promise.reject(new Error('row lock timeout')), later])).rejects.toThrow('row lock timeout');
    expect(later).not.toHaveBeenCalled();
  });

  it('whenReady applies now to a value and later to a promise', async () => {
    expect(whenReady(2, (n) => n * 10)).toBe(20);
    await expect(whenReady(Promise.resolve(3), (n) => n * 10)).resolves.toBe(30);
  });
});
